using SkiaSharp;

namespace VisInstruct.Rendering;

/// <summary>The encodings the renderer writes.</summary>
public enum ImageEncoding
{
    Jpeg,
    Png,
}

/// <summary>
/// Draws a <see cref="SceneSpec"/> with SkiaSharp on the CPU: every shape fills its box edge to edge (so the box is the
/// exact ground truth), objects never overlap (the composer sees to that), and the same scene gives the same pixels.
/// </summary>
public static class ProceduralRenderer
{
    public static byte[] Render(SceneSpec scene, ImageEncoding encoding = ImageEncoding.Jpeg, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var info = new SKImageInfo(scene.Width, scene.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface");
        var canvas = surface.Canvas;
        DrawBackground(canvas, scene);
        foreach (var item in scene.Objects)
        {
            DrawObject(canvas, item, scene.Style);
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(encoding == ImageEncoding.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static SKColor Color(NamedColor c) => new(c.R, c.G, c.B);

    private static void DrawBackground(SKCanvas canvas, SceneSpec scene)
    {
        var primary = Color(scene.Background.Primary);
        var secondary = Color(scene.Background.Secondary);
        canvas.Clear(primary);
        using var paint = new SKPaint { IsAntialias = false };
        switch (scene.Background.Kind)
        {
            case BackgroundKind.Gradient:
                paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, scene.Height), [primary, secondary],
                    SKShaderTileMode.Clamp);
                canvas.DrawRect(0, 0, scene.Width, scene.Height, paint);
                break;
            case BackgroundKind.Checker:
                paint.Color = secondary;
                int cell = Math.Max(8, Math.Min(scene.Width, scene.Height) / 12);
                for (int y = 0; y < scene.Height; y += cell)
                {
                    for (int x = (y / cell) % 2 == 0 ? 0 : cell; x < scene.Width; x += cell * 2)
                    {
                        canvas.DrawRect(x, y, cell, cell, paint);
                    }
                }

                break;
            case BackgroundKind.Stripes:
                paint.Color = secondary;
                int band = Math.Max(6, scene.Height / 16);
                for (int y = 0; y < scene.Height; y += band * 2)
                {
                    canvas.DrawRect(0, y, scene.Width, band, paint);
                }

                break;
        }
    }

    private static void DrawObject(SKCanvas canvas, SceneObject item, DrawingStyle style)
    {
        var box = item.Box;
        var color = Color(item.Color);
        float stroke = Math.Max(2f, Math.Min(box.Width, box.Height) / 14f);
        // Strokes are drawn inside the box (inset by half their width) so that nothing leaves the ground-truth box.
        var rect = style is DrawingStyle.Sketch or DrawingStyle.Outlined
            ? new SKRect(box.X1 + (stroke / 2), box.Y1 + (stroke / 2), box.X2 - (stroke / 2), box.Y2 - (stroke / 2))
            : new SKRect(box.X1, box.Y1, box.X2, box.Y2);
        using var path = ShapePath(item.Shape, rect);
        using var paint = new SKPaint { IsAntialias = true };
        switch (style)
        {
            case DrawingStyle.Sketch:
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = stroke;
                paint.StrokeJoin = SKStrokeJoin.Round;
                paint.Color = color;
                canvas.DrawPath(path, paint);
                break;
            case DrawingStyle.Shaded:
                paint.Shader = SKShader.CreateRadialGradient(
                    new SKPoint(rect.MidX - (rect.Width / 6), rect.MidY - (rect.Height / 6)), Math.Max(rect.Width, rect.Height) * 0.75f,
                    [Lighter(color), color, Darker(color)], [0f, 0.6f, 1f], SKShaderTileMode.Clamp);
                canvas.DrawPath(path, paint);
                break;
            default:
                paint.Color = color;
                canvas.DrawPath(path, paint);
                if (style == DrawingStyle.Outlined)
                {
                    paint.Style = SKPaintStyle.Stroke;
                    paint.StrokeWidth = stroke;
                    paint.StrokeJoin = SKStrokeJoin.Round;
                    paint.Color = item.Color.Name is "black" ? new SKColor(90, 90, 90) : new SKColor(20, 20, 20);
                    canvas.DrawPath(path, paint);
                }

                break;
        }
    }

    private static SKColor Lighter(SKColor c) =>
        new((byte)(c.Red + ((255 - c.Red) / 2)), (byte)(c.Green + ((255 - c.Green) / 2)), (byte)(c.Blue + ((255 - c.Blue) / 2)));

    private static SKColor Darker(SKColor c) => new((byte)(c.Red * 2 / 3), (byte)(c.Green * 2 / 3), (byte)(c.Blue * 2 / 3));

    /// <summary>The outline of a shape that touches all four sides of <paramref name="r"/>.</summary>
    internal static SKPath ShapePath(ShapeKind shape, SKRect r)
    {
        using var builder = new SKPathBuilder();
        float cx = r.MidX;
        float cy = r.MidY;
        switch (shape)
        {
            case ShapeKind.Circle:
                builder.AddOval(r, SKPathDirection.Clockwise);
                break;
            case ShapeKind.Square:
            case ShapeKind.Rectangle:
                builder.AddRect(r, SKPathDirection.Clockwise);
                break;
            case ShapeKind.Triangle:
                builder.AddPoly([new(cx, r.Top), new(r.Right, r.Bottom), new(r.Left, r.Bottom)], true);
                break;
            case ShapeKind.Diamond:
                builder.AddPoly([new(cx, r.Top), new(r.Right, cy), new(cx, r.Bottom), new(r.Left, cy)], true);
                break;
            case ShapeKind.Hexagon:
                float q = r.Width / 4;
                builder.AddPoly([new(r.Left + q, r.Top), new(r.Right - q, r.Top), new(r.Right, cy), new(r.Right - q, r.Bottom),
                    new(r.Left + q, r.Bottom), new(r.Left, cy)], true);
                break;
            case ShapeKind.Star:
                builder.AddPoly(Fit(StarPoints, r), true);
                break;
            case ShapeKind.Heart:
                builder.AddPoly(Fit(HeartPoints, r), true);
                break;
            case ShapeKind.Ring:
                builder.AddOval(r, SKPathDirection.Clockwise);
                builder.AddOval(new SKRect(r.Left + (r.Width * 0.28f), r.Top + (r.Height * 0.28f), r.Right - (r.Width * 0.28f),
                    r.Bottom - (r.Height * 0.28f)), SKPathDirection.CounterClockwise);
                builder.FillType = SKPathFillType.EvenOdd;
                break;
            case ShapeKind.Cross:
                float t = r.Width / 3;
                float u = r.Height / 3;
                builder.AddPoly(
                [
                    new(r.Left + t, r.Top), new(r.Right - t, r.Top), new(r.Right - t, r.Top + u), new(r.Right, r.Top + u),
                    new(r.Right, r.Bottom - u), new(r.Right - t, r.Bottom - u), new(r.Right - t, r.Bottom), new(r.Left + t, r.Bottom),
                    new(r.Left + t, r.Bottom - u), new(r.Left, r.Bottom - u), new(r.Left, r.Top + u), new(r.Left + t, r.Top + u),
                ], true);
                break;
        }

        return builder.Detach();
    }

    /// <summary>A five-pointed star, as points of a unit outline.</summary>
    private static readonly SKPoint[] StarPoints = Enumerable.Range(0, 10).Select(i =>
    {
        double angle = (-Math.PI / 2) + (i * Math.PI / 5);
        double radius = i % 2 == 0 ? 1.0 : 0.45;
        return new SKPoint((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
    }).ToArray();

    /// <summary>The classic parametric heart, sampled finely enough to look smooth.</summary>
    private static readonly SKPoint[] HeartPoints = Enumerable.Range(0, 120).Select(i =>
    {
        double t = i * 2 * Math.PI / 120;
        double x = 16 * Math.Pow(Math.Sin(t), 3);
        double y = -((13 * Math.Cos(t)) - (5 * Math.Cos(2 * t)) - (2 * Math.Cos(3 * t)) - Math.Cos(4 * t));
        return new SKPoint((float)x, (float)y);
    }).ToArray();

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
}
