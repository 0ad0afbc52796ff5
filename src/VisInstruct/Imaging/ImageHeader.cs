using System.Buffers.Binary;

namespace VisInstruct.Imaging;

/// <summary>
/// Reads an image's width and height from its header without decoding pixels. Like PIL, it goes by the bytes, not the
/// file name: a PNG named <c>.jpg</c> is read as PNG.
/// </summary>
public static class ImageHeader
{
    /// <summary>The size of the image in <paramref name="path"/>, or null when the file is missing or not a readable image.</summary>
    public static ImageSize? TryRead(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096,
                FileOptions.RandomAccess);
            return TryRead(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The size of the image at the start of <paramref name="stream"/>, or null when it is not one of the known formats.</summary>
    public static ImageSize? TryRead(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[32];
        int read = ReadAtMost(stream, head);
        head = head[..read];
        if (head.Length >= 24 && head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            // The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
            return Positive(BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]),
                ImageFormat.Png);
        }

        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return ReadJpeg(stream);
        }

        if (head.Length >= 10 && (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)))
        {
            return Positive(BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]),
                ImageFormat.Gif);
        }

        if (head.Length >= 26 && head.StartsWith("BM"u8))
        {
            int headerSize = BinaryPrimitives.ReadInt32LittleEndian(head[14..]);
            return headerSize == 12
                ? Positive(BinaryPrimitives.ReadUInt16LittleEndian(head[18..]), BinaryPrimitives.ReadUInt16LittleEndian(head[20..]),
                    ImageFormat.Bmp)
                : Positive(BinaryPrimitives.ReadInt32LittleEndian(head[18..]), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..])),
                    ImageFormat.Bmp);
        }

        if (head.Length >= 30 && head.StartsWith("RIFF"u8) && head[8..].StartsWith("WEBP"u8))
        {
            return ReadWebP(head);
        }

        return null;
    }

    private static ImageSize? ReadWebP(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> chunk = head[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: frame tag (3 bytes), start code (3 bytes), then 14-bit width and height.
            return Positive(BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFF,
                BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFF, ImageFormat.WebP);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return Positive((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, ImageFormat.WebP);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            int width = 1 + (head[24] | (head[25] << 8) | (head[26] << 16));
            int height = 1 + (head[27] | (head[28] << 8) | (head[29] << 16));
            return Positive(width, height, ImageFormat.WebP);
        }

        return null;
    }

    private static ImageSize? ReadJpeg(Stream stream)
    {
        // Walk the marker segments from after SOI to the first start-of-frame marker, which holds the size.
        stream.Position = 2;
        Span<byte> marker = stackalloc byte[2];
        Span<byte> frame = stackalloc byte[7];
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                return null;
            }

            if (b != 0xFF)
            {
                continue;
            }

            int code;
            do
            {
                code = stream.ReadByte();
            }
            while (code == 0xFF);

            if (code < 0 || code == 0xD9 || code == 0xDA)
            {
                // End of image, or the scan began without a frame header.
                return null;
            }

            if (code == 0x01 || code is >= 0xD0 and <= 0xD7 || code == 0x00)
            {
                continue;
            }

            if (ReadAtMost(stream, marker) < 2)
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(marker);
            if (length < 2)
            {
                return null;
            }

            bool startOfFrame = code is >= 0xC0 and <= 0xCF && code is not (0xC4 or 0xC8 or 0xCC);
            if (startOfFrame)
            {
                if (ReadAtMost(stream, frame[..5]) < 5)
                {
                    return null;
                }

                return Positive(BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]),
                    ImageFormat.Jpeg);
            }

            stream.Seek(length - 2, SeekOrigin.Current);
        }
    }

    private static ImageSize? Positive(int width, int height, ImageFormat format) =>
        width > 0 && height > 0 ? new ImageSize(width, height, format) : null;

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
