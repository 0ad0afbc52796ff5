using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace VisInstruct.Tests.Support;

/// <summary>
/// An AUTOMATIC1111 server on loopback: the pre-flight check's <c>GET /sdapi/v1/sd-models</c> is answered with an
/// empty list, every <c>txt2img</c> with one PNG and the seed it was asked for (as A1111 reports it in <c>info</c>).
/// </summary>
internal static class A1111Double
{
    public static readonly byte[] Png = File.ReadAllBytes(Paths.Data("image_headers", "image.png"));

    public static Task Handler(HttpContext context, RecordedRequest request)
    {
        if (request.Method == "GET")
        {
            return context.Json("[]");
        }

        using var body = JsonDocument.Parse(request.Body);
        long seed = body.RootElement.GetProperty("seed").GetInt64();
        return context.Json(JsonSerializer.Serialize(new { images = new[] { Convert.ToBase64String(Png) },
            info = JsonSerializer.Serialize(new { seed }) }));
    }

    public static Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync(Handler);
}
