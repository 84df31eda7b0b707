namespace Portal.Web.Features.Catalog;

/// <summary>Addresses the catalog links to, relative to the base path.</summary>
internal static class CatalogLinks
{
    public static string Service(string service) => $"services/{Uri.EscapeDataString(service)}";

    /// <summary>The deploy form, with the service and the environment chosen.</summary>
    public static string Deploy(string service, string environment) =>
        $"deploy?service={Uri.EscapeDataString(service)}&env={Uri.EscapeDataString(environment)}";
}
