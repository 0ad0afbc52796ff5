using VisInstruct.Randomness;

namespace VisInstruct.Rendering;

/// <summary>Where the composer puts objects: apart from each other, or, when asked, a few pairs partly overlapping.</summary>
public sealed partial class SceneComposer
{
    /// <summary>The least share of a back object's pixels that an overlapping front object covers.</summary>
    public const double MinCovered = 0.15;

    /// <summary>The most share of a back object's pixels that an overlapping front object covers.</summary>
    public const double MaxCovered = 0.45;

    /// <summary>
    /// Width over height of a shape's box: wide for the rectangle, oval, arrow, trapezoid, semicircle and cloud, tall for
    /// the teardrop, lightning bolt, crescent and (a little) the tilted leaf, square for the rest.
    /// </summary>
    public static double Aspect(ShapeKind shape) => shape switch
    {
        ShapeKind.Rectangle or ShapeKind.Oval => 1.6,
        ShapeKind.Arrow or ShapeKind.Cloud => 1.5,
        ShapeKind.Trapezoid => 1.4,
        ShapeKind.Semicircle => 1.8,
        ShapeKind.Teardrop => 0.7,
        ShapeKind.Leaf => 0.9,
        ShapeKind.Bolt => 0.6,
        ShapeKind.Crescent => 0.8,
        _ => 1.0,
    };

    /// <summary>
    /// Boxes for the objects, sizes shrinking if the scene is crowded. Without <paramref name="overlap"/> no two boxes come
    /// near each other; with it, each later object may instead be put partly over one earlier object of another colour
    /// that overlaps no other, so that it covers between <see cref="MinCovered"/> and <see cref="MaxCovered"/> of that object's pixels.
    /// </summary>
    private (List<SceneObject> Objects, List<Occlusion> Occlusions) Place(DeterministicRandom rng, List<ObjectRequest> requests,
        DrawingStyle style, bool overlap)
    {
        int side = Math.Min(Width, Height);
        int margin = Math.Max(2, side / 50);
        int gap = Math.Max(3, side / 60);
        for (double scale = 1.0; scale > 0.2; scale *= 0.85)
        {
            var placed = new List<SceneObject>(requests.Count);
            var masks = new List<ShapeMask?>(requests.Count);
            var occlusions = new List<Occlusion>();
            foreach (var request in requests)
            {
                var (w, h) = Dimensions(rng, request, side, scale);
                SceneObject At(PixelBox box) =>
                    new(request.Shape!.Value, request.Color!, request.Size!.Value, box, request.Texture!.Value, request.Material!.Value);
                var free = Enumerable.Range(0, placed.Count)
                    .Where(i => placed[i].Color != request.Color && !occlusions.Any(o => o.Back == i || o.Front == i)).ToList();
                if (overlap && free.Count > 0 && rng.NextBool())
                {
                    int back = rng.Pick(free);
                    masks[back] ??= ShapeMask.Of(placed[back], style);
                    var over = Overlapping(rng, placed, back, masks[back]!, w, h, margin, gap, At, style);
                    if (over is not null)
                    {
                        occlusions.Add(new Occlusion(placed.Count, back, over.Value.Covered));
                        placed.Add(over.Value.Item);
                        masks.Add(over.Value.Mask);
                        continue;
                    }
                }

                PixelBox? apart = null;
                for (int attempt = 0; attempt < MaxTries && apart is null; attempt++)
                {
                    int x = rng.NextInt(margin, Math.Max(margin + 1, Width - margin - w));
                    int y = rng.NextInt(margin, Math.Max(margin + 1, Height - margin - h));
                    var box = new PixelBox(x, y, x + w, y + h);
                    if (!placed.Any(b => b.Box.Touches(box, gap)))
                    {
                        apart = box;
                    }
                }

                if (apart is null)
                {
                    break;
                }

                placed.Add(At(apart.Value));
                masks.Add(null);
            }

            if (placed.Count == requests.Count)
            {
                return (placed, occlusions);
            }
        }

        throw new InvalidOperationException($"{requests.Count} objects do not fit in a {Width}x{Height} image");
    }

    /// <summary>
    /// A box for a new object partly over <paramref name="back"/> (and apart from every other object) where it covers an
    /// allowed share of the back object's pixels; null when none is found.
    /// </summary>
    private (SceneObject Item, ShapeMask Mask, double Covered)? Overlapping(DeterministicRandom rng, List<SceneObject> placed, int back,
        ShapeMask backMask, int w, int h, int margin, int gap, Func<PixelBox, SceneObject> at, DrawingStyle style)
    {
        var target = placed[back].Box;
        int x1 = Math.Max(margin, target.X1 - (w * 4 / 5));
        int x2 = Math.Min(Width - margin - w, target.X2 - (w / 5));
        int y1 = Math.Max(margin, target.Y1 - (h * 4 / 5));
        int y2 = Math.Min(Height - margin - h, target.Y2 - (h / 5));
        if (x2 < x1 || y2 < y1)
        {
            return null;
        }

        for (int attempt = 0; attempt < MaxTries / 4; attempt++)
        {
            int x = rng.NextInt(x1, x2 + 1);
            int y = rng.NextInt(y1, y2 + 1);
            var box = new PixelBox(x, y, x + w, y + h);
            if (!box.Touches(target) || placed.Where((_, i) => i != back).Any(b => b.Box.Touches(box, gap)))
            {
                continue;
            }

            var item = at(box);
            var mask = ShapeMask.Of(item, style);
            double covered = backMask.CoveredBy(mask);
            if (covered is >= MinCovered and <= MaxCovered)
            {
                return (item, mask, covered);
            }
        }

        return null;
    }

    private static (int Width, int Height) Dimensions(DeterministicRandom rng, ObjectRequest request, int side, double scale)
    {
        (double min, double max) = request.Size switch
        {
            SizeClass.Small => (0.10, 0.14),
            SizeClass.Medium => (0.17, 0.23),
            _ => (0.28, 0.36),
        };
        double share = (min + (rng.NextDouble() * (max - min))) * scale;
        int h = Math.Max(8, (int)Math.Round(side * share));
        int w = Math.Max(8, (int)Math.Round(h * Aspect(request.Shape!.Value)));
        return (w, h);
    }
}
