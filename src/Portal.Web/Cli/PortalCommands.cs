using Microsoft.Extensions.Options;

namespace Portal.Web.Cli;

/// <summary>
/// The binary's subcommands. No subcommand (or <c>serve</c>) runs the portal. Exit codes: 0 success, 1 the work
/// failed, 2 bad usage or a bad setting. Errors are one line on stderr, never a stack trace.
/// </summary>
public static class PortalCommands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly IReadOnlyList<PortalCommand> Commands =
    [
        new("serve", "Run the portal (the default when no subcommand is given).", ServeAsync),
        new("migrate", "Apply pending database migrations, then exit.", MigrateCommand.RunAsync),
        new("tokens", "tokens create --user NAME [--name LABEL] [--expires 30d] [--env NAME]: print a new personal access token on the last line; tokens create --ingest --name NAME: a token that may only ship logs to /ingest/_bulk.", TokensCommand.RunAsync),
        new("healthcheck", "GET /healthz of a running portal (default http://localhost:$ASPNETCORE_HTTP_PORTS or 8080); exit 0 when it answers 200.", HealthcheckCommand.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> buildApp)
    {
        var (name, rest) = args.Length > 0 && !args[0].StartsWith('-') ? (args[0], args[1..]) : ("serve", args);
        if (name is "help" || args.Contains("--help") || args.Contains("-h"))
        {
            await Console.Out.WriteAsync(HelpText());
            return Ok;
        }

        var command = Commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"portal: unknown subcommand '{name}'. Run with --help to list the subcommands.");
            return Usage;
        }

        try
        {
            return await command.RunAsync(new CommandContext(rest, buildApp));
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"portal: invalid setting: {string.Join(" ", ex.Failures)}");
            return Usage;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"portal: invalid setting: {ex.Message}");
            return Usage;
        }
    }

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "Portal: an internal developer portal.",
            "",
            "Usage: Portal.Web [subcommand] [--urls URL] [--Section:Key=value ...]",
            "",
            "Subcommands:",
        };
        lines.AddRange(Commands.Select(c => $"  {c.Name,-12} {c.Summary}"));
        lines.Add($"  {"help",-12} Show this text (also --help, -h).");
        lines.Add("");
        lines.Add("Settings come from appsettings.json, appsettings.{Environment}.json, environment variables");
        lines.Add("(Section__Key) and the command line (--Section:Key=value); see README, \"Configuration\".");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static async Task<int> ServeAsync(CommandContext context)
    {
        var app = context.BuildValidatedApp(logsToStandardError: false);
        try
        {
            await app.RunAsync();
            return Ok;
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            // A port in use or a malformed --urls: Kestrel's own message names the address.
            await Console.Error.WriteLineAsync($"portal: cannot listen (Urls): {ex.Message}");
            return Usage;
        }
    }
}

internal sealed record PortalCommand(string Name, string Summary, Func<CommandContext, Task<int>> RunAsync);

internal sealed record CommandContext(string[] Args, Func<string[], WebApplication> BuildApp)
{
    /// <summary>Builds the host and validates every option now, so a bad setting ends start-up before anything runs.</summary>
    public WebApplication BuildValidatedApp(IEnumerable<string>? hostArgs = null, bool logsToStandardError = true)
    {
        // A subcommand's standard output is its result (a token, a summary); its log lines, warnings and worse
        // only, go to standard error.
        string[] args = [.. hostArgs ?? Args];
        var app = BuildApp(logsToStandardError
            ? [.. args, "--Logging:Console:LogToStandardErrorThreshold=Trace", "--Logging:LogLevel:Default=Warning"]
            : args);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        return app;
    }
}
