namespace Portal.Testing;

/// <summary>The handlers a request passes through, outermost first, as a client's pipeline builds them.</summary>
public static class HandlerChain
{
    /// <summary>The handlers' type names joined with " > ", ending at the primary handler (SocketsHttpHandler in production).</summary>
    public static string Of(HttpMessageHandler outermost)
    {
        var chain = new List<string>();
        for (HttpMessageHandler? handler = outermost; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler.GetType().Name);
        }

        return string.Join(" > ", chain);
    }
}
