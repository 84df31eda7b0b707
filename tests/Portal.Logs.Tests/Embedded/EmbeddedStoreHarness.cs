using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Logs.Embedded;
using Portal.Testing;

namespace Portal.Logs.Tests.Embedded;

/// <summary>
/// An embedded store on a real SQLite file in a temp directory, with a clock the test holds, and short ways to add
/// documents (each marked by a <c>doc</c> field) and to ask which documents a query finds.
/// </summary>
internal sealed class EmbeddedStoreHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new("portal-logs-embedded");

    public EmbeddedStoreHarness(EmbeddedLogOptions? options = null)
    {
        Options = options ?? new EmbeddedLogOptions();
        if (string.IsNullOrEmpty(Options.Path))
        {
            Options.Path = _directory.File("logs/logs.db");
        }

        Store = new EmbeddedLogStore(Microsoft.Extensions.Options.Options.Create(Options), Clock);
    }

    public FakeClock Clock { get; } = new(Now);

    public EmbeddedLogOptions Options { get; }

    public EmbeddedLogStore Store { get; }

    public string Path => Options.Path;

    public static KqlValue V(string text) => new(text, Quoted: false);

    public static KqlValue Q(string text) => new(text, Quoted: true);

    /// <summary>Adds documents (JSON objects, each with a <c>doc</c> marker) to <paramref name="environment"/> at <paramref name="at"/>, in one append.</summary>
    public Task AddAsync(string environment, DateTimeOffset at, params string[] documents) =>
        Store.AppendAsync([.. documents.Select(d => new LogRecord(environment, at, (JsonObject)JsonNode.Parse(d)!))], CancellationToken.None);

    public Task AddAsync(params string[] documents) => AddAsync("dev", Now.AddMinutes(-5), documents);

    /// <summary>The markers of the documents <paramref name="query"/> finds in the last day of <paramref name="environments"/> (default dev), sorted.</summary>
    public async Task<List<string>> FindAsync(KqlNode? query, params string[] environments)
    {
        var result = await SearchAsync(query, environments);
        result.Total.ShouldBe(result.Hits.Count, "the total counts exactly the matches");
        return [.. result.Hits.Select(h => h.Source["doc"]?.GetValue<string>() ?? "?").Order(StringComparer.Ordinal)];
    }

    public Task<LogSearchResult> SearchAsync(KqlNode? query, params string[] environments) => Store.SearchAsync(Request(query, environments), CancellationToken.None);

    public static LogSearchRequest Request(KqlNode? query, params string[] environments) => new()
    {
        Query = query,
        From = Now.AddDays(-1),
        To = Now,
        Scopes = [.. (environments.Length == 0 ? ["dev"] : environments).Select(e => new LogScope(e, e))],
        Size = 500,
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
