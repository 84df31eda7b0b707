using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Sandbox.Aws.Protocol;

/// <summary>One operation: its service and what it does with the request's JSON.</summary>
internal sealed record AwsOperation(AwsJsonService Service, Func<JsonObject, JsonObject> Handle);

/// <summary>
/// The sandbox's AWS endpoint: plain HTTP on a loopback port, <c>POST /</c> with the operation in
/// <c>X-Amz-Target</c> (<c>GraniteServiceVersion20100801.DescribeAlarms</c>, <c>...CloudTrail_20131101.LookupEvents</c>),
/// every request SigV4-signed with the sandbox's key for the operation's service. Answers are the services' JSON
/// shapes, errors their <c>__type</c>/<c>message</c> bodies with AWS's status codes (and CloudWatch's
/// <c>x-amzn-query-error</c>), each with an <c>x-amzn-RequestId</c>.
/// </summary>
internal sealed partial class SandboxAwsServer : IAsyncDisposable
{
    private const int MaxBody = 1 << 20;
    private readonly WebApplication _app;

    private SandboxAwsServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<SandboxAwsServer> StartAsync(int port, SigV4Verifier verifier, IReadOnlyDictionary<string, AwsOperation> operations, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var logger = loggers.CreateLogger("Portal.Sandbox.Aws");
        app.Run(http => HandleAsync(http, verifier, operations, logger));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxAwsServer(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext http, SigV4Verifier verifier, IReadOnlyDictionary<string, AwsOperation> operations, ILogger logger)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var operation = operations.GetValueOrDefault(target);
        var service = operation?.Service ?? AwsJsonService.All.FirstOrDefault(s => target.StartsWith(s.TargetPrefix + ".", StringComparison.Ordinal)) ?? AwsJsonService.CloudWatch;
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
            if (http.Request.ContentLength > MaxBody)
            {
                throw AwsApiException.Serialization($"The request body is larger than {MaxBody} bytes.");
            }

            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var body = buffer.ToArray();
            var signed = verifier.Verify(http.Request, body);
            if (operation is null || !HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/")
            {
                throw AwsApiException.UnknownOperation();
            }

            if (signed.Service != service.SigningName)
            {
                throw AwsApiException.InvalidSignature($"Credential should be scoped to correct service: '{service.SigningName}'. ");
            }

            var output = operation.Handle(JsonInput.Parse(body));
            http.Response.StatusCode = 200;
            http.Response.ContentType = service.ContentType;
            await http.Response.WriteAsync(output.ToJsonString(), http.RequestAborted);
        }
        catch (AwsApiException ex)
        {
            await WriteErrorAsync(http, service, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !http.Response.HasStarted)
        {
            LogFailure(logger, target, ex);
            await WriteErrorAsync(http, service, AwsApiException.InternalFailure());
        }
    }

    private static Task WriteErrorAsync(HttpContext http, AwsJsonService service, AwsApiException error)
    {
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = service.ContentType;
        if (service.QueryCompatible)
        {
            http.Response.Headers["x-amzn-query-error"] = error.QueryError;
        }

        var body = new JsonObject { ["__type"] = error.WireType(service), ["message"] = error.Message };
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The sandbox's AWS endpoint failed on {Target}")]
    private static partial void LogFailure(ILogger logger, string target, Exception ex);
}
