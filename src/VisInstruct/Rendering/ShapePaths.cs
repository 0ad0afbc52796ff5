using SkiaSharp;

namespace VisInstruct.Rendering;

/// <summary>
/// The outline of every shape, made so that its exact bounds are the rectangle it is given: the box of an object is its
/// ground truth on all four sides. Shapes drawn from curves (cloud, flower) are built in unit coordinates, and the
/// finished path is mapped so that its tight bounds are the rectangle.
/// </summary>
internal static class ShapePaths
{
    /// <summary>The outline of <paramref name="shape"/>, touching all four sides of <paramref name="r"/>.</summary>
    public static SKPath Of(ShapeKind shape, SKRect r) => shape switch
    {
        ShapeKind.Circle or ShapeKind.Oval => Build(b => b.AddOval(r, SKPathDirection.Clockwise)),
        ShapeKind.Square or ShapeKind.Rectangle => Build(b => b.AddRect(r, SKPathDirection.Clockwise)),
        ShapeKind.Triangle => Polygon([new(0.5f, 0), new(1, 1), new(0, 1)], r),
        ShapeKind.Diamond => Polygon([new(0.5f, 0), new(1, 0.5f), new(0.5f, 1), new(0, 0.5f)], r),
        ShapeKind.Hexagon => Polygon([new(0.25f, 0), new(0.75f, 0), new(1, 0.5f), new(0.75f, 1), new(0.25f, 1), new(0, 0.5f)], r),
        ShapeKind.Star => Polygon(StarPoints, r),
        ShapeKind.Heart => Polygon(HeartPoints, r),
        ShapeKind.Ring => Ring(r),
        ShapeKind.Cross => Polygon(
        [
            new(1, 0), new(2, 0), new(2, 1), new(3, 1), new(3, 2), new(2, 2), new(2, 3), new(1, 3), new(1, 2), new(0, 2), new(0, 1),
            new(1, 1),
        ], r),
        ShapeKind.Pentagon => Polygon(Regular(5, -Math.PI / 2), r),
        ShapeKind.Octagon => Polygon(Regular(8, Math.PI / 8), r),
        ShapeKind.Crescent => Polygon(CrescentPoints, r),
        ShapeKind.Arrow => Polygon([new(0, 0.32f), new(0.58f, 0.32f), new(0.58f, 0), new(1, 0.5f), new(0.58f, 1), new(0.58f, 0.68f),
            new(0, 0.68f)], r),
        ShapeKind.Trapezoid => Polygon([new(0.22f, 0), new(0.78f, 0), new(1, 1), new(0, 1)], r),
        ShapeKind.Semicircle => Polygon(SemicirclePoints, r),
        ShapeKind.Teardrop => Polygon(TeardropPoints, r),
        ShapeKind.Cloud => Fitted(new SKPath(UnitCloud), r),
        ShapeKind.Bolt => Polygon([new(0.58f, 0), new(0.12f, 0.56f), new(0.44f, 0.56f), new(0.3f, 1), new(0.88f, 0.4f), new(0.56f, 0.4f),
            new(0.8f, 0)], r),
        ShapeKind.Flower => Polygon(FlowerPoints, r),
        _ => Leaf(r),
    };

    private static SKPath Build(Action<SKPathBuilder> draw)
    {
        using var builder = new SKPathBuilder();
        draw(builder);
        return builder.Detach();
    }

    private static SKPath Polygon(SKPoint[] points, SKRect r) => Build(b => b.AddPoly(Fit(points, r), true));

    private static SKPath Ring(SKRect r)
    {
        using var builder = new SKPathBuilder();
        builder.AddOval(r, SKPathDirection.Clockwise);
        builder.AddOval(new SKRect(r.Left + (r.Width * 0.28f), r.Top + (r.Height * 0.28f), r.Right - (r.Width * 0.28f),
            r.Bottom - (r.Height * 0.28f)), SKPathDirection.CounterClockwise);
        builder.FillType = SKPathFillType.EvenOdd;
        return builder.Detach();
    }

    /// <summary>Maps points so that their bounds are exactly <paramref name="r"/>.</summary>
    private static SKPoint[] Fit(SKPoint[] points, SKRect r)
    {
        float minX = points.Min(p => p.X);
        float maxX = points.Max(p => p.X);
        float minY = points.Min(p => p.Y);
        float maxY = points.Max(p => p.Y);
        return points.Select(p =>
            new SKPoint(r.Left + ((p.X - minX) / (maxX - minX) * r.Width), r.Top + ((p.Y - minY) / (maxY - minY) * r.Height))).ToArray();
    }

    /// <summary>Maps a path so that its tight bounds are exactly <paramref name="r"/>.</summary>
    private static SKPath Fitted(SKPath unit, SKRect r)
    {
        using (unit)
        {
            var b = unit.TightBounds;
            var matrix = SKMatrix.CreateTranslation(-b.Left, -b.Top)
                .PostConcat(SKMatrix.CreateScale(r.Width / b.Width, r.Height / b.Height))
                .PostConcat(SKMatrix.CreateTranslation(r.Left, r.Top));
            var result = new SKPath();
            unit.Transform(matrix, result);
            return result;
        }
    }

    /// <summary>The cloud in unit coordinates, built once (a path union is slow); each use maps a copy.</summary>
    private static readonly SKPath UnitCloud = CloudPath();

    /// <summary>A puffy cloud: the union of overlapping circles over a flat base.</summary>
    private static SKPath CloudPath()
    {
        (float X, float Y, float R)[] puffs = [(0.22f, 0.62f, 0.2f), (0.43f, 0.43f, 0.26f), (0.67f, 0.46f, 0.22f), (0.82f, 0.64f, 0.18f)];
        var cloud = Build(b => b.AddRect(new SKRect(0.22f, 0.55f, 0.82f, 0.82f), SKPathDirection.Clockwise));
        foreach (var (x, y, radius) in puffs)
        {
            using var puff = Build(b => b.AddCircle(x, y, radius, SKPathDirection.Clockwise));
            var union = cloud.Op(puff, SKPathOp.Union) ?? throw new InvalidOperationException("the cloud outline could not be built");
            cloud.Dispose();
            cloud = union;
        }

        return cloud;
    }

    private static SKPoint[] Regular(int sides, double start) => Enumerable.Range(0, sides).Select(i =>
    {
        double angle = start + (i * 2 * Math.PI / sides);
        return new SKPoint((float)Math.Cos(angle), (float)Math.Sin(angle));
    }).ToArray();

    private static SKPoint Polar(double angle, double radius, double cx = 0, double cy = 0) =>
        new((float)(cx + (radius * Math.Cos(angle))), (float)(cy + (radius * Math.Sin(angle))));

    /// <summary>A five-pointed star, as points of a unit outline.</summary>
    private static readonly SKPoint[] StarPoints =
        Enumerable.Range(0, 10).Select(i => Polar((-Math.PI / 2) + (i * Math.PI / 5), i % 2 == 0 ? 1.0 : 0.45)).ToArray();

    /// <summary>The classic parametric heart, sampled finely enough to look smooth.</summary>
    private static readonly SKPoint[] HeartPoints = Enumerable.Range(0, 120).Select(i =>
    {
        double t = i * 2 * Math.PI / 120;
        double x = 16 * Math.Pow(Math.Sin(t), 3);
        double y = -((13 * Math.Cos(t)) - (5 * Math.Cos(2 * t)) - (2 * Math.Cos(3 * t)) - Math.Cos(4 * t));
        return new SKPoint((float)x, (float)y);
    }).ToArray();

    /// <summary>
    /// A unit disc with a smaller disc bitten out of its right side: the outer arc runs round the left from one tip to
    /// the other, the inner arc back.
    /// </summary>
    private static readonly SKPoint[] CrescentPoints = CrescentOutline();

    private static SKPoint[] CrescentOutline()
    {
        const double cx = 0.45;
        const double radius = 0.85;
        double tipX = (1 + (cx * cx) - (radius * radius)) / (2 * cx);
        double tipY = Math.Sqrt(1 - (tipX * tipX));
        double outer = Math.Atan2(tipY, tipX);
        double inner = Math.Atan2(tipY, tipX - cx);
        const int steps = 60;
        var outerArc = Enumerable.Range(0, steps + 1).Select(i => Polar(outer + (i * ((2 * Math.PI) - (2 * outer)) / steps), 1));
        var innerArc = Enumerable.Range(1, steps - 1)
            .Select(i => Polar((2 * Math.PI) - inner - (i * ((2 * Math.PI) - (2 * inner)) / steps), radius, cx));
        return outerArc.Concat(innerArc).ToArray();
    }

    /// <summary>The upper half of a disc, its flat side at the bottom.</summary>
    private static readonly SKPoint[] SemicirclePoints =
        Enumerable.Range(0, 61).Select(i => Polar(Math.PI + (i * Math.PI / 60), 1)).ToArray();

    /// <summary>A disc with lines tangent to it meeting in a point above: a drop.</summary>
    private static readonly SKPoint[] TeardropPoints = TeardropOutline();

    private static SKPoint[] TeardropOutline()
    {
        const double apex = 2.1;
        double start = -Math.Asin(1 / apex);
        double sweep = Math.PI - (2 * start);
        return new[] { new SKPoint(0, (float)-apex) }
            .Concat(Enumerable.Range(0, 61).Select(i => Polar(start + (i * sweep / 60), 1))).ToArray();
    }

    /// <summary>Five rounded petals round the centre, as a polar curve.</summary>
    private static readonly SKPoint[] FlowerPoints = Enumerable.Range(0, 300).Select(i =>
    {
        double t = i * 2 * Math.PI / 300;
        return Polar(t - (Math.PI / 2), 0.45 + (0.55 * Math.Abs(Math.Cos(2.5 * t))));
    }).ToArray();

    /// <summary>
    /// A pointed leaf, tilted: a blade whose two curved sides meet in a tip, a short stem, and a thin vein along the middle
    /// (a slit that shows what lies behind). The outline and the vein are mapped together, so the bounds are the blade's
    /// and the stem's.
    /// </summary>
    private static SKPath Leaf(SKRect r)
    {
        const int steps = 40;
        const double stem = 0.035;
        const double angle = -Math.PI / 5;
        SKPoint Turn(double x, double y) => new((float)((x * Math.Cos(angle)) + (y * Math.Sin(angle))),
            (float)((-x * Math.Sin(angle)) + (y * Math.Cos(angle))));
        // The blade spans y from -0.4 (tip) to 0.4 (base), widest nearer the base; the stem runs on to 0.62.
        double Half(double s) => 0.23 * (1 - (s * s)) * (1 + (0.3 * s));
        var right = Enumerable.Range(0, steps).Select(i => -1 + (2.0 * i / steps)).Where(s => Half(s) > stem || s < 0)
            .Select(s => Turn(Half(s), 0.4 * s));
        var left = Enumerable.Range(1, steps - 1).Select(i => 1 - (2.0 * i / steps)).Where(s => Half(s) > stem || s < 0)
            .Select(s => Turn(-Half(s), 0.4 * s));
        double joint = 0.4 * Enumerable.Range(0, steps).Select(i => -1 + (2.0 * i / steps)).Last(s => Half(s) > stem);
        var outline = right.Concat([Turn(stem, joint), Turn(stem, 0.62), Turn(-stem, 0.62), Turn(-stem, joint)]).Concat(left).ToArray();
        double Vein(double s) => (0.016 * (1 - (s * s / 0.5625))) + 0.005;
        var along = Enumerable.Range(0, 21).Select(i => -0.75 + (1.5 * i / 20)).ToList();
        var vein = along.Select(s => Turn(Vein(s), 0.4 * s)).Concat(Enumerable.Reverse(along).Select(s => Turn(-Vein(s), 0.4 * s)))
            .ToArray();
        var all = Fit([.. outline, .. vein], r);
        using var builder = new SKPathBuilder();
        builder.AddPoly(all[..outline.Length], true);
        builder.AddPoly(all[outline.Length..], true);
        builder.FillType = SKPathFillType.EvenOdd;
        return builder.Detach();
    }
}
