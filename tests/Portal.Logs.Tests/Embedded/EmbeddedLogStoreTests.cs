using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Logs.Embedded;
using Portal.Testing;
using static Portal.Logs.Tests.Embedded.EmbeddedStoreHarness;

namespace Portal.Logs.Tests.Embedded;

/// <summary>The embedded store's paging, totals and histogram, appends, pruning, fields and errors.</summary>
public sealed class EmbeddedLogStoreTests : IDisposable
{
    private readonly EmbeddedStoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData(LogOrder.NewestFirst)]
    [InlineData(LogOrder.OldestFirst)]
    public async Task SearchAsync_CursorPages_VisitEveryMatchOnceInOrderEvenWithinOneMillisecond(LogOrder order)
    {
        // 300 lines in one millisecond (three appends), 40 spread over the hour, and noise that must not appear.
        var sameMs = Now.AddMinutes(-10);
        for (var batch = 0; batch < 3; batch++)
        {
            await _h.AddAsync("dev", sameMs, [.. Enumerable.Range(0, 100).Select(i => $$"""{"doc":"same-{{batch}}-{{i}}","level":"info"}""")]);
        }

        for (var i = 0; i < 40; i++)
        {
            await _h.AddAsync("dev", Now.AddMinutes(-i), $$"""{"doc":"spread-{{i}}","level":"info"}""");
        }

        await _h.AddAsync("dev", Now.AddMinutes(-7), """{"doc":"noise","level":"debug"}""");
        await _h.AddAsync("prod", Now.AddMinutes(-7), """{"doc":"other","level":"info"}""");

        var request = Request(new KqlMatch("level", V("info"))) with { Size = 7, Order = order };
        var seen = new List<LogHit>();
        string? cursor = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await _h.Store.SearchAsync(request with { SearchAfter = cursor }, CancellationToken.None);
            page.Total.ShouldBe(340, "the total ignores the cursor");
            if (page.Hits.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Hits);
            cursor = page.Hits[^1].Cursor;
        }

        seen.Count.ShouldBe(340);
        seen.Select(h => h.Id).Distinct().Count().ShouldBe(340);
        var ids = seen.Select(h => long.Parse(h.Cursor, CultureInfo.InvariantCulture)).ToList();
        ids.ShouldBe(order == LogOrder.NewestFirst ? [.. ids.OrderDescending()] : [.. ids.Order()]);
        var times = seen.Select(h => h.Timestamp).ToList();
        times.ShouldBe(order == LogOrder.NewestFirst ? [.. times.OrderDescending()] : [.. times.Order()]);
        seen.ShouldAllBe(h => h.Environment == "dev");
    }

    [Fact]
    public async Task SearchAsync_CursorFromOneOrder_WorksInTheOther()
    {
        for (var i = 0; i < 9; i++)
        {
            await _h.AddAsync("dev", Now.AddMinutes(-9 + i), $$"""{"doc":"d{{i}}"}""");
        }

        var anchor = (await _h.Store.SearchAsync(Request(new KqlMatch("doc", V("d4"))), CancellationToken.None)).Hits.ShouldHaveSingleItem();
        var before = await _h.Store.SearchAsync(Request(null) with { SearchAfter = anchor.Cursor, Size = 2 }, CancellationToken.None);
        var after = await _h.Store.SearchAsync(Request(null) with { SearchAfter = anchor.Cursor, Size = 2, Order = LogOrder.OldestFirst }, CancellationToken.None);

        before.Hits.Select(h => h.Source["doc"]!.GetValue<string>()).ShouldBe(["d3", "d2"]);
        after.Hits.Select(h => h.Source["doc"]!.GetValue<string>()).ShouldBe(["d5", "d6"]);
        var bad = await Should.ThrowAsync<LogBackendException>(() => _h.Store.SearchAsync(Request(null) with { SearchAfter = "abc" }, CancellationToken.None));
        bad.Failure.ShouldBe(LogBackendFailure.InvalidQuery);
    }

    [Fact]
    public async Task SearchAsync_Histogram_CountsEveryBucketIncludingEmptyOnesAndSumsToTheTotal()
    {
        var from = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        await _h.AddAsync("dev", from.AddMinutes(5), """{"doc":"a","level":"error"}""", """{"doc":"b","level":"error"}""");
        await _h.AddAsync("dev", from.AddHours(3).AddMinutes(59), """{"doc":"c","level":"error"}""");
        await _h.AddAsync("dev", from.AddHours(4), """{"doc":"d","level":"error"}""", """{"doc":"e","level":"info"}""");
        await _h.AddAsync("dev", from.AddHours(-1), """{"doc":"before","level":"error"}""");
        await _h.AddAsync("prod", from.AddHours(1), """{"doc":"elsewhere","level":"error"}""");

        var result = await _h.Store.SearchAsync(Request(new KqlMatch("level", V("error"))) with
        {
            From = from,
            To = from.AddHours(6),
            HistogramInterval = TimeSpan.FromHours(1),
            Size = 1,
        }, CancellationToken.None);

        result.Total.ShouldBe(4);
        result.Hits.Count.ShouldBe(1);
        result.Histogram.Select(b => (b.Start.Hour, b.Count)).ShouldBe([(6, 2L), (7, 0L), (8, 0L), (9, 1L), (10, 1L), (11, 0L), (12, 0L)]);
        result.Histogram.Sum(b => b.Count).ShouldBe(result.Total);
    }

    [Fact]
    public async Task SearchAsync_ManyMatches_TotalIsExactBeyondThePage()
    {
        await _h.AddAsync("dev", Now.AddMinutes(-3), [.. Enumerable.Range(0, 1234).Select(i => $$"""{"doc":"x{{i}}","n":{{i}}}""")]);

        var result = await _h.Store.SearchAsync(Request(new KqlRange("n", KqlRangeOperator.GreaterThanOrEqual, V("234"))) with { Size = 10 }, CancellationToken.None);

        result.Total.ShouldBe(1000);
        result.Hits.Count.ShouldBe(10);
        result.Histogram.ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_FailureInsideTheBatch_StoresNothingOfIt()
    {
        await _h.AddAsync("""{"doc":"first"}""");
        await using (var connection = new SqliteConnection($"Data Source={_h.Path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER boom BEFORE INSERT ON log_lines WHEN NEW.doc LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'boom'); END;";
            await command.ExecuteNonQueryAsync();
        }

        var failure = await Should.ThrowAsync<LogBackendException>(() => _h.AddAsync("""{"doc":"ok-1","level":"warn"}""", """{"doc":"ok-2"}""", """{"doc":"boom"}"""));

        failure.InnerException.ShouldBeOfType<SqliteException>();
        (await _h.FindAsync(null)).ShouldBe(["first"]);
        (await _h.FindAsync(new KqlText(V("ok")))).ShouldBeEmpty();
        (await _h.Store.FieldsAsync([new LogScope("dev", "dev")], CancellationToken.None)).Select(f => f.Name).ShouldBe(["doc"]);
    }

    [Fact]
    public async Task FieldsAsync_ListsEveryFieldOfTheScopesWithItsType()
    {
        await _h.AddAsync(
            """{"@timestamp":"2026-11-22T11:55:00Z","log":"x","status":500,"ok":true,"kubernetes":{"pod_name":"p","labels":{"app":"a"}},"tags":["a","b"]}""",
            """{"kubernetes.namespace_name":"dev","latency_ms":"12"}""");
        await _h.AddAsync("prod", Now.AddMinutes(-1), """{"prod_only":1}""");

        var fields = await _h.Store.FieldsAsync([new LogScope("dev", "dev")], CancellationToken.None);

        fields.ShouldBe([
            new LogField("@timestamp", LogFieldType.Date),
            new LogField("kubernetes.labels.app", LogFieldType.String),
            new LogField("kubernetes.namespace_name", LogFieldType.String),
            new LogField("kubernetes.pod_name", LogFieldType.String),
            new LogField("latency_ms", LogFieldType.String),
            new LogField("log", LogFieldType.String),
            new LogField("ok", LogFieldType.Boolean),
            new LogField("status", LogFieldType.Number),
            new LogField("tags", LogFieldType.String),
        ]);
        (await _h.Store.FieldsAsync([new LogScope("prod", "prod")], CancellationToken.None)).ShouldBe([new LogField("prod_only", LogFieldType.Number)]);
    }

    [Fact]
    public async Task PruneAsync_ByAge_DeletesOnlyOlderDocuments()
    {
        await _h.AddAsync("dev", Now.AddDays(-9), """{"doc":"ancient","level":"error"}""");
        await _h.AddAsync("dev", Now.AddDays(-8), """{"doc":"old","level":"error"}""");
        await _h.AddAsync("dev", Now.AddDays(-1).AddMinutes(1), """{"doc":"young","level":"error"}""");

        var result = await _h.Store.PruneAsync(Now.AddDays(-7), long.MaxValue, CancellationToken.None);

        result.DeletedByAge.ShouldBe(2);
        result.DeletedBySize.ShouldBe(0);
        var all = await _h.Store.SearchAsync(Request(new KqlMatch("level", V("error"))) with { From = Now.AddDays(-30) }, CancellationToken.None);
        all.Hits.Select(h => h.Source["doc"]!.GetValue<string>()).ShouldBe(["young"]);
        all.Total.ShouldBe(1);
    }

    [Fact]
    public async Task PruneAsync_OverTheSize_DeletesOldestFirstUntilUnderAndTheFileShrinks()
    {
        var filler = new string('w', 2000);
        for (var batch = 0; batch < 20; batch++)
        {
            await _h.AddAsync("dev", Now.AddHours(-20 + batch), [.. Enumerable.Range(0, 100).Select(i => $$"""{"doc":"b{{batch}}-{{i}}","batch":{{batch}},"blob":"{{filler}}{{i}}"}""")]);
        }

        var before = await _h.Store.SizeAsync(CancellationToken.None);
        var limit = before / 2;

        var result = await _h.Store.PruneAsync(Now.AddDays(-7), limit, CancellationToken.None);

        result.DeletedByAge.ShouldBe(0);
        result.DeletedBySize.ShouldBeGreaterThan(0);
        result.BytesAfter.ShouldBeLessThanOrEqualTo(limit);
        (await _h.Store.SizeAsync(CancellationToken.None)).ShouldBe(result.BytesAfter);
        new FileInfo(_h.Path).Length.ShouldBeLessThan(before);
        var left = await _h.Store.SearchAsync(Request(null) with { From = Now.AddDays(-2), Size = 5000 }, CancellationToken.None);
        left.Total.ShouldBe(2000 - result.DeletedBySize);
        // Every batch newer than the oldest one kept is whole: oldest first.
        var batches = left.Hits.Select(h => h.Source["batch"]!.GetValue<int>()).ToList();
        batches.Where(b => b > batches.Min()).Count().ShouldBe(100 * (19 - batches.Min()));
        (await _h.FindAsync(new KqlMatch("batch", V("19")))).Count.ShouldBe(100);
    }

    [Fact]
    public async Task SearchAsync_FileThatIsNotADatabase_IsUnavailable()
    {
        using var directory = new TempDirectory("portal-logs-bad");
        var path = directory.File("logs.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));
        var store = new EmbeddedLogStore(Options.Create(new EmbeddedLogOptions { Path = path }), new FakeClock(Now));

        var failure = await Should.ThrowAsync<LogBackendException>(() => store.SearchAsync(Request(null), CancellationToken.None));
        failure.Failure.ShouldBe(LogBackendFailure.Unavailable);
        failure.InnerException.ShouldBeOfType<SqliteException>();
        var health = await new EmbeddedLogHealthCheck(store, Options.Create(new EmbeddedLogOptions { Path = path }))
            .CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        health.Status.ShouldBe(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
    }

    [Fact]
    public async Task SearchAsync_PathThatCannotBeCreatedOrNone_IsUnavailable()
    {
        using var directory = new TempDirectory("portal-logs-bad");
        var file = directory.File("plain-file");
        await File.WriteAllTextAsync(file, "x");

        foreach (var path in new[] { System.IO.Path.Combine(file, "sub", "logs.db"), "" })
        {
            var store = new EmbeddedLogStore(Options.Create(new EmbeddedLogOptions { Path = path }), new FakeClock(Now));
            var failure = await Should.ThrowAsync<LogBackendException>(() => store.AppendAsync([new LogRecord("dev", Now, [])], CancellationToken.None));
            failure.Failure.ShouldBe(LogBackendFailure.Unavailable);
        }
    }

    [Fact]
    public async Task SearchAsync_RangeBounds_AreInclusiveToTheMillisecond()
    {
        var from = Now.AddHours(-2);
        var to = Now.AddHours(-1);
        await _h.AddAsync("dev", from.AddMilliseconds(-1), """{"doc":"before"}""");
        await _h.AddAsync("dev", from, """{"doc":"first"}""");
        await _h.AddAsync("dev", to, """{"doc":"last"}""");
        await _h.AddAsync("dev", to.AddMilliseconds(1), """{"doc":"after"}""");

        var result = await _h.Store.SearchAsync(Request(null) with { From = from, To = to }, CancellationToken.None);

        result.Hits.Select(h => h.Source["doc"]!.GetValue<string>()).ShouldBe(["last", "first"]);
        result.Hits[0].Timestamp.ShouldBe(to);
    }

    [Fact]
    public async Task HealthCheck_WorkingStore_IsHealthyWithItsSize()
    {
        await _h.AddAsync("""{"doc":"a"}""");

        var health = await new EmbeddedLogHealthCheck(_h.Store, Options.Create(_h.Options))
            .CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());

        health.Status.ShouldBe(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        health.Description.ShouldNotBeNull().ShouldContain("MiB of 2048 MiB");
    }

    [Fact]
    public async Task AppendAsync_DocumentAsShipped_IsReturnedUnchanged()
    {
        var shipped = """{"@timestamp":"2026-11-22T11:55:00.123Z","log":"ünïcödé \"quoted\" <tag>","kubernetes":{"pod_name":"web-1"},"kubernetes.labels.app":"web","n":1.5,"arr":[1,{"a":2}],"nil":null}""";
        await _h.AddAsync(shipped);

        var hit = (await _h.SearchAsync(new KqlMatch("arr.a", V("2")))).Hits.ShouldHaveSingleItem();

        JsonNode.DeepEquals(hit.Source, JsonNode.Parse(shipped)).ShouldBeTrue();
        hit.Timestamp.ShouldBe(Now.AddMinutes(-5));
        (await _h.SearchAsync(new KqlText(V("ÜNÏCÖDÉ")))).Total.ShouldBe(1);
        (await _h.SearchAsync(new KqlMatch("log", Q("quoted tag")))).Total.ShouldBe(1);
    }
}
