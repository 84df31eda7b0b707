using System.Globalization;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Identity;
using Portal.Core.Tokens;

namespace Portal.Web.Cli;

/// <summary>
/// <c>tokens create --user NAME [--name LABEL] [--expires 30d] [--env NAME ...]</c>: a personal access token for
/// automation, created as that user through the CLI channel (audited), printed alone on the last line.
/// <c>tokens create --ingest --name NAME [--expires 365d]</c>: a token a log shipper sends to <c>/ingest/_bulk</c>,
/// which can do nothing else.
/// </summary>
internal static class TokensCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Args is not ["create", .. var rest])
        {
            await Console.Error.WriteLineAsync("portal: tokens: use 'tokens create --user NAME [--name LABEL] [--expires 30d] [--env NAME]' or 'tokens create --ingest --name NAME [--expires 365d]'.");
            return PortalCommands.Usage;
        }

        var (options, problem) = Parse(rest);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"portal: tokens create: {problem}");
            return PortalCommands.Usage;
        }

        await using var app = context.BuildValidatedApp(hostArgs: options.HostArgs);
        try
        {
            await app.Services.GetRequiredService<Portal.Infrastructure.Persistence.DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or Portal.Infrastructure.Persistence.SchemaDriftException)
        {
            await Console.Error.WriteLineAsync($"portal: tokens create: the database is not usable: {ex.Message}");
            return PortalCommands.Failed;
        }

        if (options.Ingest)
        {
            return await CreateIngestAsync(app, options);
        }

        var user = await app.Services.GetRequiredService<IUserDirectory>().FindAsync(options.User!, CancellationToken.None);
        if (user is null || user.Disabled)
        {
            await Console.Error.WriteLineAsync($"portal: tokens create: --user: no active user named '{options.User}'.");
            return PortalCommands.Usage;
        }

        var principal = new PortalPrincipal(user.UserName, user.DisplayName, user.Groups);
        var request = new CreateTokenRequest { Name = options.Name, ExpiresInDays = options.Days, Environments = options.Environments };
        var result = await app.Services.GetRequiredService<AccessTokenService>().CreateAsync(ActorContext.Cli(principal), request, CancellationToken.None);
        if (result is not ActionResult<CreatedToken>.Ok ok)
        {
            await Console.Error.WriteLineAsync($"portal: tokens create: {result.Describe()}");
            return result is ActionResult<CreatedToken>.Invalid ? PortalCommands.Usage : PortalCommands.Failed;
        }

        var token = ok.Value.Token;
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Token '{token.Name}' for {token.UserName}, expires {token.ExpiresAt:yyyy-MM-dd}, environments: {(token.Environments is { } e ? string.Join(", ", e) : "all of the user's")}."));
        await Console.Out.WriteLineAsync(ok.Value.Value);
        return PortalCommands.Ok;
    }

    private static async Task<int> CreateIngestAsync(WebApplication app, Options options)
    {
        var cli = new PortalPrincipal("cli", "Command line", new HashSet<string>());
        var result = await app.Services.GetRequiredService<AccessTokenService>()
            .CreateIngestAsync(ActorContext.Cli(cli), options.Name, options.DaysGiven ? options.Days : null, CancellationToken.None);
        if (result is not ActionResult<CreatedToken>.Ok ok)
        {
            await Console.Error.WriteLineAsync($"portal: tokens create --ingest: {result.Describe()}");
            return result is ActionResult<CreatedToken>.Invalid ? PortalCommands.Usage : PortalCommands.Failed;
        }

        var token = ok.Value.Token;
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Ingest token '{token.Name}', expires {token.ExpiresAt:yyyy-MM-dd}: send it to /ingest/_bulk as 'Authorization: Bearer <token>' (or as the password of basic auth)."));
        await Console.Out.WriteLineAsync(ok.Value.Value);
        return PortalCommands.Ok;
    }

    private static (Options Options, string? Problem) Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--user" when value is not null:
                    options.User = value;
                    i++;
                    break;
                case "--ingest":
                    options.Ingest = true;
                    break;
                case "--name" when value is not null:
                    options.Name = value;
                    i++;
                    break;
                case "--env" when value is not null:
                    options.Environments.Add(value);
                    i++;
                    break;
                case "--expires" when value is not null:
                    if (!value.EndsWith('d') || !int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                    {
                        return (options, $"--expires: '{value}' is not a number of days like 30d.");
                    }

                    options.Days = days;
                    options.DaysGiven = true;
                    i++;
                    break;
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains('=', StringComparison.Ordinal):
                    options.HostArgs.Add(setting);
                    break;
                default:
                    return (options, $"'{args[i]}' is not an option (or its value is missing).");
            }
        }

        if (options.Ingest)
        {
            return options.User is not null || options.Environments.Count > 0
                ? (options, "--ingest tokens belong to no user and no environment: drop --user and --env.")
                : options.Name is null ? (options, "--name is required with --ingest (it names the shipper in the audit trail).") : (options, null);
        }

        options.Name ??= "cli";
        return options.User is null ? (options, "--user is required.") : (options, null);
    }

    private sealed class Options
    {
        public string? User { get; set; }

        public string? Name { get; set; }

        public int Days { get; set; } = AccessTokenService.DefaultDays;

        public bool DaysGiven { get; set; }

        public bool Ingest { get; set; }

        public List<string> Environments { get; } = [];

        public List<string> HostArgs { get; } = [];
    }
}
