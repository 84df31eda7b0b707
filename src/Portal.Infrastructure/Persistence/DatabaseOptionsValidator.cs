using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Fails start-up on a bad <c>Database</c> setting with a message that names the key. Never echoes the
/// connection string: it may carry a password.
/// </summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    private const string Section = DatabaseOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        var known = string.Join(", ", Enum.GetNames<DatabaseProvider>());
        var providerOk = Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider)
            && Enum.IsDefined(provider)
            && !int.TryParse(options.Provider, out _);
        if (!providerOk)
        {
            failures.Add($"{Section}:Provider: '{options.Provider}' is not a known provider; use one of {known}.");
        }
        else
        {
            var problem = CheckConnectionString(provider, options.ConnectionString);
            if (problem is not null)
            {
                failures.Add($"{Section}:ConnectionString: {problem}");
            }
        }

        if (options.ProbeTimeoutSeconds is < 1 or > 300)
        {
            failures.Add($"{Section}:ProbeTimeoutSeconds: must be between 1 and 300 (got {options.ProbeTimeoutSeconds}).");
        }

        if (options.AvailabilityProbeSeconds is < 1 or > 300)
        {
            failures.Add($"{Section}:AvailabilityProbeSeconds: must be between 1 and 300 (got {options.AvailabilityProbeSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? CheckConnectionString(DatabaseProvider provider, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return provider == DatabaseProvider.PostgreSql
                ? "is required when Database:Provider is PostgreSql."
                : null;
        }

        try
        {
            switch (provider)
            {
                case DatabaseProvider.Sqlite:
                    var sqlite = new SqliteConnectionStringBuilder(connectionString);
                    return string.IsNullOrWhiteSpace(sqlite.DataSource) ? "has no 'Data Source'." : null;
                default:
                    var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
                    return string.IsNullOrWhiteSpace(npgsql.Host) ? "has no 'Host'." : null;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The parsers' messages quote the offending keyword, never the whole string.
            return $"is not a valid {provider} connection string ({FirstSentence(ex.Message)}).";
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf('.', StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
