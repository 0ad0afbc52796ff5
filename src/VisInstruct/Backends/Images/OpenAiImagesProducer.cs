using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Backends.Images;

/// <summary>
/// OpenAI-style images (OpenAI, LocalAI and similar): <c>POST /v1/images/generations</c>, one image as
/// <c>b64_json</c>. The API takes no seed, so these images are marked as not reproducible from theirs.
/// </summary>
internal sealed class OpenAiImagesProducer(ImageEndpointsOptions options) : HttpImageBackend(options)
{
    public override string Kind => "openai-images";

    protected override string PreflightPath => "models";

    protected override string BaseUrlHint => "(OpenAI-style servers answer under /v1, e.g. https://api.openai.com/v1)";

    public override async Task<ProducedImage> ProduceOnAsync(Uri endpoint, ImageRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            if (Options.Model is { } model)
            {
                writer.WriteString("model", model);
            }

            writer.WriteString("prompt", request.Prompt);
            writer.WriteNumber("n", 1);
            writer.WriteString("size", string.Create(CultureInfo.InvariantCulture, $"{request.Width}x{request.Height}"));
            // The gpt-image models always answer in base64 and refuse the parameter.
            if (Options.Model is null || !Options.Model.StartsWith("gpt-image", StringComparison.Ordinal))
            {
                writer.WriteString("response_format", "b64_json");
            }

            writer.WriteEndObject();
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, Under(endpoint, "images/generations"))
        {
            Content = new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        byte[] body = await SendAsync(endpoint, message, cancellationToken).ConfigureAwait(false);
        using var document = ParseJson(endpoint, body, "images/generations");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0
            || !data[0].TryGetProperty("b64_json", out var b64) || b64.ValueKind != JsonValueKind.String)
        {
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: the answer has no data[0].b64_json", endpoint,
                body: Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]));
        }

        byte[] image;
        try
        {
            image = Convert.FromBase64String(b64.GetString()!);
        }
        catch (FormatException ex)
        {
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: b64_json is not valid base64", endpoint, innerException: ex);
        }

        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data[0].TryGetProperty("revised_prompt", out var revised) && revised.ValueKind == JsonValueKind.String)
        {
            reported["revised_prompt"] = revised.GetString()!;
        }

        return new ProducedImage { Bytes = image, MediaType = SniffMediaType(image), Seed = request.Seed, SeedHonoured = false,
            Reported = reported };
    }
}
