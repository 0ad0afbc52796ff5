using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The check before a run: every endpoint answers <c>GET /models</c> and lists the configured model. The message says
/// what is wrong: unreachable, an error status, or the models it serves instead.
/// </summary>
public static class LlmHealth
{
    public static async Task<IReadOnlyList<EndpointHealth>> CheckAsync(HttpClient http, IReadOnlyList<Uri> endpoints, string model,
        string? apiKey,
        TimeSpan timeout, string credentials = "llm.api_key_env", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoints);
        var checks = endpoints.Select(endpoint => CheckOneAsync(http, endpoint, model, apiKey, timeout, credentials, cancellationToken));
        return await Task.WhenAll(checks).ConfigureAwait(false);
    }

    private static async Task<EndpointHealth> CheckOneAsync(HttpClient http, Uri endpoint, string model, string? apiKey,
        TimeSpan timeout, string credentials,
        CancellationToken cancellationToken)
    {
        var url = ModelsUrl(endpoint);
        try
        {
            var (status, body) = await GetAsync(http, url, apiKey, timeout, cancellationToken).ConfigureAwait(false);
            if (!IsSuccess(status))
            {
                return new EndpointHealth(endpoint, false, EndpointProblems.DescribeStatus(endpoint, url, status,
                    BackendHttp.ErrorMessage(body),
                    apiKey is null ? credentials + " (none is set)" : credentials,
                        "(OpenAI-compatible servers answer under /v1, e.g. http://host:8000/v1)"), []);
            }

            var models = ReadModels(body);
            if (models is null)
            {
                return new EndpointHealth(endpoint, false,
                    $"{url} did not answer with a model list (is this an OpenAI-compatible /v1 base URL?)", []);
            }

            return models.Contains(model, StringComparer.Ordinal)
                ? new EndpointHealth(endpoint, true, $"{endpoint} serves {model}", models)
                : new EndpointHealth(endpoint, false,
                    $"{endpoint} does not serve the model \"{model}\"; it serves: "
                    + (models.Count == 0 ? "nothing" : string.Join(", ", models.Select(m => $"\"{m}\""))), models);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException
            && !cancellationToken.IsCancellationRequested))
        {
            return new EndpointHealth(endpoint, false, EndpointProblems.DescribeUnreachable(url, ex, timeout), []);
        }
    }

    /// <summary><c>&lt;endpoint&gt;/models</c>.</summary>
    internal static Uri ModelsUrl(Uri endpoint) => new(endpoint.ToString().TrimEnd('/') + "/models");

    /// <summary>
    /// An authorized GET of <paramref name="url"/>, the answer read whole, all within <paramref name="timeout"/>. Throws
    /// <see cref="HttpRequestException"/> or <see cref="OperationCanceledException"/> as the send does.
    /// </summary>
    internal static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, Uri url, string? apiKey, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var response = await http.SendAsync(request, limit.Token).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false));
    }

    internal static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;

    private static List<string>? ReadModels(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return data.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id)
                    && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
                .OfType<string>()
                .ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
