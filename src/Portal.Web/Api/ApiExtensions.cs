using Portal.Web.Features.Alarms;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Web.Features.Account;
using Portal.Web.Features.Approvals;
using Portal.Web.Features.Audit;
using Portal.Web.Features.Catalog;
using Portal.Web.Features.Costs;
using Portal.Web.Features.Deployments;
using Portal.Web.Features.Environments;
using Portal.Web.Features.Jobs;
using Portal.Web.Features.Logs;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Api;

internal static class ApiExtensions
{
    /// <summary>The versioned JSON API: OpenAPI description, problem+json errors, enums as strings.</summary>
    public static IHostApplicationBuilder AddPortalApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["correlationId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Portal API";
            document.Info.Description = "Authenticate with a personal access token: Authorization: Bearer <token>. Errors are RFC 9457 problem+json.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapPortalApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var v1 = app.MapGroup("/api/v1").RequireAuthorization();
        v1.MapEnvironmentsApi();
        v1.MapAccessApi();
        v1.MapApprovalsApi();
        v1.MapMeApi();
        v1.MapAuditApi();
        v1.MapJobsApi();
        v1.MapWorkloadsApi();
        v1.MapDeploymentsApi();
        v1.MapServicesApi();
        v1.MapLogsApi();
        v1.MapAlarmsApi();
        v1.MapCostsApi();

        // An unknown API path read with GET answers problem+json, not the HTML not-found page. Only GET: a catch-all
        // for every method would also swallow the 415 that routing gives a body of the wrong media type.
        app.MapMethods("/api/{**path}", [HttpMethods.Get, HttpMethods.Head], () => Results.Problem(title: "Not found",
                detail: "There is no such API endpoint; see /openapi/v1.json.", statusCode: StatusCodes.Status404NotFound))
            .WithOrder(int.MaxValue).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
