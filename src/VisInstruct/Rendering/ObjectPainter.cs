using SkiaSharp;

namespace VisInstruct.Rendering;

/// <summary>
/// Draws one object in a style: its fill (flat, shaded or a material's), its texture clipped to the shape, its outline.
/// Nothing leaves the object's box: strokes of the outlined and sketch styles are inset by half their width, and every
/// texture, highlight and rim is clipped to the shape's own outline.
/// </summary>
internal static class ObjectPainter
{
    public static void Draw(SKCanvas canvas, SceneObject item, DrawingStyle style)
    {
        var color = new SKColor(item.Color.R, item.Color.G, item.Color.B);
        float stroke = Stroke(item.Box);
        using var path = ShapePaths.Of(item.Shape, InnerRect(item.Box, style));
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
                var rect = path.TightBounds;
                paint.Shader = SKShader.CreateRadialGradient(
                    new SKPoint(rect.MidX - (rect.Width / 6), rect.MidY - (rect.Height / 6)), Math.Max(rect.Width, rect.Height) * 0.75f,
                    [Lighter(color), color, Darker(color)], [0f, 0.6f, 1f], SKShaderTileMode.Clamp);
                canvas.DrawPath(path, paint);
                break;
            default:
                FillWithMaterial(canvas, path, item, color);
                if (style == DrawingStyle.Outlined)
                {
                    using var outline = new SKPaint
                    {
                        IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, StrokeJoin = SKStrokeJoin.Round,
                        Color = item.Color.Name is "black" or "navy" ? new SKColor(90, 90, 90) : new SKColor(20, 20, 20),
                    };
                    canvas.DrawPath(path, outline);
                }

                break;
        }
    }

    /// <summary>
    /// The pixels an object paints, as paths in picture coordinates whose union they are: its fill, and the stroke of
    /// its outline in the styles that have one (only the stroke in sketch style). Filling each path is the union without
    /// a path operation, which is slow on curved outlines. The caller disposes the paths.
    /// </summary>
    public static SKPath[] Footprint(SceneObject item, DrawingStyle style)
    {
        var path = ShapePaths.Of(item.Shape, InnerRect(item.Box, style));
        if (style is DrawingStyle.Flat or DrawingStyle.Shaded)
        {
            return [path];
        }

        using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = Stroke(item.Box), StrokeJoin = SKStrokeJoin.Round };
        var outline = paint.GetFillPath(path);
        if (outline is null)
        {
            path.Dispose();
            throw new InvalidOperationException("the outline could not be built");
        }

        if (style == DrawingStyle.Sketch)
        {
            path.Dispose();
            return [outline];
        }

        return [path, outline];
    }

    private static float Stroke(PixelBox box) => Math.Max(2f, Math.Min(box.Width, box.Height) / 14f);

    /// <summary>The rectangle the shape's outline is fitted to: the box, inset by half the stroke where there is one.</summary>
    private static SKRect InnerRect(PixelBox box, DrawingStyle style)
    {
        float half = style is DrawingStyle.Sketch or DrawingStyle.Outlined ? Stroke(box) / 2 : 0;
        return new SKRect(box.X1 + half, box.Y1 + half, box.X2 - half, box.Y2 - half);
    }

    private static void FillWithMaterial(SKCanvas canvas, SKPath path, SceneObject item, SKColor color)
    {
        var box = path.TightBounds;
        float side = Math.Min(box.Width, box.Height);
        byte alpha = item.Material == Material.Glass ? (byte)145 : (byte)255;
        using var paint = new SKPaint { IsAntialias = true, Color = color.WithAlpha(alpha) };
        if (item.Material == Material.Metallic)
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(box.Left, box.Top),
                new SKPoint(box.Left + (box.Width / 2), box.Top + (box.Height / 2)),
                [Lighter(color), color, Darker(color), color, Lighter(color)], [0f, 0.25f, 0.5f, 0.75f, 1f], SKShaderTileMode.Repeat);
        }

        canvas.DrawPath(path, paint);
        canvas.Save();
        canvas.ClipPath(path, SKClipOperation.Intersect, antialias: true);
        DrawTexture(canvas, item.Texture, box, Tone(color).WithAlpha(alpha));
        switch (item.Material)
        {
            case Material.Glossy:
                var centre = new SKPoint(box.Left + (box.Width * 0.33f), box.Top + (box.Height * 0.3f));
                using (var shine = new SKPaint { IsAntialias = true })
                {
                    shine.Shader = SKShader.CreateRadialGradient(centre, side * 0.3f,
                        [new SKColor(255, 255, 255, 235), new SKColor(255, 255, 255, 160), new SKColor(255, 255, 255, 0)],
                        [0f, 0.45f, 1f], SKShaderTileMode.Clamp);
                    canvas.DrawCircle(centre, side * 0.3f, shine);
                }

                break;
            case Material.Glass:
                // A bright rim in a light tone of the colour (so the edge stays visible on pale backgrounds). A stroke twice the
                // rim's width, clipped to the shape, leaves the rim's width inside it.
                using (var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round })
                {
                    rim.StrokeWidth = Math.Max(3f, side / 8f);
                    rim.Color = Lighter(color).WithAlpha(235);
                    canvas.DrawPath(path, rim);
                }

                break;
        }

        canvas.Restore();
    }

    /// <summary>Stripes, dots or checks over <paramref name="box"/> (the caller clips them to the shape).</summary>
    private static void DrawTexture(SKCanvas canvas, Texture texture, SKRect box, SKColor tone)
    {
        if (texture == Texture.Plain)
        {
            return;
        }

        float pitch = Math.Max(6f, Math.Min(box.Width, box.Height) / 5f);
        using var paint = new SKPaint { IsAntialias = true, Color = tone };
        switch (texture)
        {
            case Texture.Striped:
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = pitch * 0.4f;
                for (float x = box.Left - box.Height; x < box.Right + pitch; x += pitch)
                {
                    canvas.DrawLine(x, box.Bottom + pitch, x + box.Height + (2 * pitch), box.Top - pitch, paint);
                }

                break;
            case Texture.Dotted:
                for (int row = 0; box.Top + (row * pitch) < box.Bottom + pitch; row++)
                {
                    float shift = row % 2 == 0 ? pitch / 4 : (pitch * 3) / 4;
                    for (float x = box.Left + shift; x < box.Right + pitch; x += pitch)
                    {
                        canvas.DrawCircle(x, box.Top + (row * pitch) + (pitch / 4), pitch * 0.24f, paint);
                    }
                }

                break;
            default:
                float cell = pitch * 0.6f;
                for (int row = 0; box.Top + (row * cell) < box.Bottom; row++)
                {
                    for (int column = row % 2; box.Left + (column * cell) < box.Right; column += 2)
                    {
                        canvas.DrawRect(box.Left + (column * cell), box.Top + (row * cell), cell, cell, paint);
                    }
                }

                break;
        }
    }

    /// <summary>The tone a texture is drawn in: darker for light colours, lighter for dark ones, so the hue stays.</summary>
    internal static SKColor Tone(SKColor c)
    {
        double luma = (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue);
        return luma > 90
            ? new SKColor((byte)(c.Red * 0.55), (byte)(c.Green * 0.55), (byte)(c.Blue * 0.55))
            : new SKColor((byte)(c.Red + ((255 - c.Red) * 0.42)), (byte)(c.Green + ((255 - c.Green) * 0.42)),
                (byte)(c.Blue + ((255 - c.Blue) * 0.42)));
    }

    private static SKColor Lighter(SKColor c) =>
        new((byte)(c.Red + ((255 - c.Red) / 2)), (byte)(c.Green + ((255 - c.Green) / 2)), (byte)(c.Blue + ((255 - c.Blue) / 2)));

    private static SKColor Darker(SKColor c) => new((byte)(c.Red * 2 / 3), (byte)(c.Green * 2 / 3), (byte)(c.Blue * 2 / 3));
}
