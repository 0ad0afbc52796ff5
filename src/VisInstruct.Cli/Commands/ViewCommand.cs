using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VisInstruct.Datasets;
using VisInstruct.Report;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct view</c>: serves a dataset's report and the images it shows on 127.0.0.1 (for a folder on a remote
/// machine: forward the port with <c>ssh -L</c>), building the report first when it is missing or older than the
/// dataset. Only the report folder and the image folder are served; Ctrl+C or SIGTERM stops it.
/// </summary>
internal static class ViewCommand
{
    public const int DefaultPort = 8765;

    public static Command Create(CliConsole console)
    {
        var path = new Argument<string>("path") { Description = "A dataset folder this tool wrote, or a LLaVA JSON/JSONL file" };
        var imageFolder = new Option<string?>("--image-folder", "--image_folder")
        {
            Description = "The folder image paths are relative to",
        };
        var output = new Option<string?>("--out")
        {
            Description = "The report folder (default: report/ in the dataset folder, or beside the file)",
        };
        var port = new Option<int>("--port")
        {
            Description = "The port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => DefaultPort,
        };
        var command = new Command("view", "Serve a dataset's report on 127.0.0.1 (building it first when missing or out of date)")
        {
            path, imageFolder, output, port,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            int chosen = result.GetValue(port);
            if (chosen is < 0 or > 65535)
            {
                throw new UsageException("--port must be between 0 and 65535");
            }

            var options = new ReportOptions
            {
                Path = result.GetRequiredValue(path), ImageFolder = result.GetValue(imageFolder), OutputDirectory = result.GetValue(output),
            };
            var source = DatasetSource.Open(options.Path, options.ImageFolder);
            string report = ReportBuilder.OutputFor(options);
            if (!ReportFiles.IsCurrent(report, source))
            {
                int built = Interruptible.Run(console, token =>
                {
                    console.Out.WriteLine(ReportCommand.Describe(ReportCommand.Build(options, token)));
                    return ExitCodes.Success;
                }, cancellationToken);
                if (built != ExitCodes.Success)
                {
                    return built;
                }
            }

            return await ServeAsync(console, report, source.ImageRoot, chosen, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ServeAsync(CliConsole console, string report, string? imageRoot, int port,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = report });
            builder.Services.AddSingleton<IHostLifetime, SignalsHandledHere>();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            await using var app = builder.Build();
            app.Run(context => Serve(context, report, imageRoot));
            try
            {
                await app.StartAsync(stop.Token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new UsageException($"--port {port}: cannot listen on 127.0.0.1:{port} ({ex.Message}); --port 0 picks a free one");
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            string url = addresses.First().TrimEnd('/') + "/";
            console.Out.WriteLine($"serving {report} at {url}");
            console.Out.WriteLine(imageRoot is null
                ? "images: no image folder is known (--image-folder), so only thumbnails are shown"
                : $"images: {imageRoot} under {url}{ReportFiles.ImagePrefix}");
            int bound = new Uri(url).Port;
            console.Out.WriteLine($"Ctrl+C stops it; from another machine forward the port: ssh -L {bound}:127.0.0.1:{bound} THIS_HOST");
            console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop.
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(grace.Token).ConfigureAwait(false);
            console.Out.WriteLine("stopped");
            return ExitCodes.Success;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task Serve(HttpContext context, string report, string? imageRoot)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        // Only pages opened as 127.0.0.1 or localhost: another site's script cannot read it through a DNS name.
        string host = request.Host.Host;
        if (host is not ("127.0.0.1" or "localhost"))
        {
            response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return;
        }

        string? file = ReportFiles.Resolve(report, imageRoot, request.Path.Value ?? "/");
        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("not found: only the report and its images are served\n").ConfigureAwait(false);
            return;
        }

        response.ContentType = ReportFiles.ContentType(file);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-cache";
        response.ContentLength = new FileInfo(file).Length;
        if (HttpMethods.IsGet(request.Method))
        {
            await response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The host's own Ctrl+C and SIGTERM handling is left out: the command stops the server itself.</summary>
    private sealed class SignalsHandledHere : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
