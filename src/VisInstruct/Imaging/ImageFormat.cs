namespace VisInstruct.Imaging;

/// <summary>The kinds of image file whose size can be read from the header.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    Bmp,
    WebP,
}
