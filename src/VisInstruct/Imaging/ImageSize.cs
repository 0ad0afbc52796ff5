namespace VisInstruct.Imaging;

/// <summary>An image's pixel size, as read from its header (before any EXIF rotation, as PIL's <c>Image.size</c>).</summary>
public readonly record struct ImageSize(int Width, int Height, ImageFormat Format);
