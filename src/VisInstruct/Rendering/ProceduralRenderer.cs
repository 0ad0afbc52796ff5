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
/// exact ground truth), objects are drawn in list order (a later one over an earlier one where the composer let them
/// overlap), backgrounds use only the background tones, and the same scene gives the same pixels.
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
            ObjectPainter.Draw(canvas, item, scene.Style);
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(encoding == ImageEncoding.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static SKColor Color(NamedColor c) => new(c.R, c.G, c.B);

    /// <summary>The background, in its two tones (both from <see cref="NamedColor.Backgrounds"/>) and their blends only.</summary>
    internal static void DrawBackground(SKCanvas canvas, SceneSpec scene)
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
            case BackgroundKind.Dots:
                paint.IsAntialias = true;
                paint.Color = secondary;
                float spacing = Math.Max(10, Math.Min(scene.Width, scene.Height) / 14f);
                for (int row = 0; row * spacing < scene.Height + spacing; row++)
                {
                    float shift = row % 2 == 0 ? spacing / 2 : 0;
                    for (float x = shift; x < scene.Width + spacing; x += spacing)
                    {
                        canvas.DrawCircle(x, (row * spacing) + (spacing / 2), spacing * 0.2f, paint);
                    }
                }

                break;
            case BackgroundKind.Grid:
                paint.Color = secondary;
                int pitch = Math.Max(12, Math.Min(scene.Width, scene.Height) / 10);
                int line = Math.Max(2, Math.Min(scene.Width, scene.Height) / 170);
                for (int x = pitch / 2; x < scene.Width; x += pitch)
                {
                    canvas.DrawRect(x, 0, line, scene.Height, paint);
                }

                for (int y = pitch / 2; y < scene.Height; y += pitch)
                {
                    canvas.DrawRect(0, y, scene.Width, line, paint);
                }

                break;
            case BackgroundKind.Diagonal:
                paint.IsAntialias = true;
                paint.Color = secondary;
                float width = Math.Max(6, Math.Min(scene.Width, scene.Height) / 20f);
                float reach = scene.Width + scene.Height;
                for (float x = -scene.Height; x < scene.Width; x += width * 2)
                {
                    using var stripe = new SKPathBuilder();
                    stripe.AddPoly([new(x, 0), new(x + width, 0), new(x + width + reach, reach), new(x + reach, reach)], true);
                    using var path = stripe.Detach();
                    canvas.DrawPath(path, paint);
                }

                break;
            case BackgroundKind.Horizon:
                paint.Color = secondary;
                canvas.DrawRect(0, (float)Math.Round(scene.Height * 0.6), scene.Width, scene.Height, paint);
                break;
            case BackgroundKind.Waves:
                paint.IsAntialias = true;
                paint.Color = secondary;
                DrawWaves(canvas, paint, scene.Width, scene.Height);
                break;
        }
    }

    /// <summary>Wavy bands across the picture: each band lies between two copies of one sine curve.</summary>
    private static void DrawWaves(SKCanvas canvas, SKPaint paint, int width, int height)
    {
        float band = Math.Max(8, height / 14f);
        float amplitude = band * 0.45f;
        float wavelength = Math.Max(24, width / 4f);
        for (float top = -band; top < height + band; top += band * 2)
        {
            var upper = Enumerable.Range(0, (width / 4) + 2)
                .Select(i => new SKPoint(i * 4, top + (amplitude * (float)Math.Sin(i * 4 * 2 * Math.PI / wavelength)))).ToList();
            var lower = upper.Select(p => new SKPoint(p.X, p.Y + band)).Reverse();
            using var builder = new SKPathBuilder();
            builder.AddPoly([.. upper, .. lower], true);
            using var path = builder.Detach();
            canvas.DrawPath(path, paint);
        }
    }
}
