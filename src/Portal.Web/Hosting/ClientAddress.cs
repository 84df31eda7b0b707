namespace Portal.Web.Hosting;

/// <summary>The client's address as rate limits see it: the connection's, after forwarded headers from a trusted proxy.</summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "(unknown)";
}
