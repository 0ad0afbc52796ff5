using System.Net.Http.Headers;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Backends.Images;

/// <summary>
/// AUTOMATIC1111 / Forge: <c>POST /sdapi/v1/txt2img</c>. The seed actually used is read back from the answer's
/// <c>info</c> (a JSON string), and the checkpoint is set per request through <c>override_settings</c>.
/// </summary>
internal sealed class A1111Producer(ImageEndpointsOptions options) : HttpImageBackend(options)
{
    public override string Kind => "a1111";

    protected override string PreflightPath => "sdapi/v1/sd-models";

    protected override string CredentialSettings => "images.username_env / images.password_env";

    protected override string BaseUrlHint => "(AUTOMATIC1111 answers at the server root, e.g. http://host:7860, when started with --api)";

    public override async Task<ProducedImage> ProduceOnAsync(Uri endpoint, ImageRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Under(endpoint, "sdapi/v1/txt2img"))
        {
            Content = new ByteArrayContent(Body(request)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        byte[] body = await SendAsync(endpoint, message, cancellationToken).ConfigureAwait(false);
        using var document = ParseJson(endpoint, body, "txt2img");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("images", out var images)
            || images.ValueKind != JsonValueKind.Array
            || images.GetArrayLength() == 0 || images[0].ValueKind != JsonValueKind.String)
        {
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: the txt2img answer has no images", endpoint);
        }

        byte[] image;
        try
        {
            image = Convert.FromBase64String(images[0].GetString()!);
        }
        catch (FormatException ex)
        {
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: the image is not valid base64", endpoint, innerException: ex);
        }

        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        long seed = request.Seed;
        if (root.TryGetProperty("info", out var info) && info.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var details = JsonDocument.Parse(info.GetString()!);
                var d = details.RootElement;
                if (d.TryGetProperty("seed", out var s) && s.TryGetInt64(out long actual))
                {
                    seed = actual;
                }

                foreach (string key in new[] { "sampler_name", "sd_model_name", "sd_model_hash", "scheduler", "version" })
                {
                    if (d.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.String)
                    {
                        reported[key] = value.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                reported["info"] = "(not JSON)";
            }
        }

        return new ProducedImage { Bytes = image, MediaType = SniffMediaType(image), Seed = seed, Reported = reported };
    }

    private byte[] Body(ImageRequest request)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("prompt", request.Prompt);
            writer.WriteString("negative_prompt", request.NegativePrompt);
            writer.WriteNumber("seed", request.Seed);
            writer.WriteNumber("steps", request.Steps);
            writer.WriteNumber("cfg_scale", request.Guidance);
            writer.WriteNumber("width", request.Width);
            writer.WriteNumber("height", request.Height);
            if (request.Sampler is not null)
            {
                writer.WriteString("sampler_name", request.Sampler);
            }

            writer.WriteNumber("batch_size", 1);
            writer.WriteNumber("n_iter", 1);
            writer.WritePropertyName("send_images");
            writer.WriteBooleanValue(true);
            writer.WritePropertyName("save_images");
            writer.WriteBooleanValue(false);
            if (Options.Model is { } model)
            {
                writer.WritePropertyName("override_settings");
                writer.WriteStartObject();
                writer.WriteString("sd_model_checkpoint", model);
                writer.WriteEndObject();
                writer.WritePropertyName("override_settings_restore_afterwards");
                writer.WriteBooleanValue(false);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
