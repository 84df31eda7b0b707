using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

public sealed class CircuitLimitsOptionsValidator : IValidateOptions<CircuitLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, CircuitLimitsOptions options)
    {
        var failures = new List<string>();
        Between(failures, nameof(CircuitLimitsOptions.DisconnectedCircuitRetentionPeriod), options.DisconnectedCircuitRetentionPeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Between(failures, nameof(CircuitLimitsOptions.DisconnectedCircuitMaxRetained), options.DisconnectedCircuitMaxRetained, 0, 10_000);
        Between(failures, nameof(CircuitLimitsOptions.MaxBufferedUnacknowledgedRenderBatches), options.MaxBufferedUnacknowledgedRenderBatches, 1, 1_000);
        Between(failures, nameof(CircuitLimitsOptions.JSInteropDefaultCallTimeout), options.JSInteropDefaultCallTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Between(failures, nameof(CircuitLimitsOptions.MaximumReceiveMessageSize), options.MaximumReceiveMessageSize, 1024, 16L * 1024 * 1024);
        Between(failures, nameof(CircuitLimitsOptions.KeepAliveInterval), options.KeepAliveInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Between(failures, nameof(CircuitLimitsOptions.ClientTimeoutInterval), options.ClientTimeoutInterval, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));
        Between(failures, nameof(CircuitLimitsOptions.MaximumParallelInvocationsPerClient), options.MaximumParallelInvocationsPerClient, 1, 100);
        if (options.ClientTimeoutInterval < options.KeepAliveInterval * 2)
        {
            failures.Add($"{CircuitLimitsOptions.SectionName}:{nameof(CircuitLimitsOptions.ClientTimeoutInterval)}: must be at least twice " +
                $"{CircuitLimitsOptions.SectionName}:{nameof(CircuitLimitsOptions.KeepAliveInterval)} ({options.KeepAliveInterval}), or a healthy but quiet tab is dropped between two pings (got {options.ClientTimeoutInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between<T>(List<string> failures, string key, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"{CircuitLimitsOptions.SectionName}:{key}: must be between {min} and {max} (got {value}).");
        }
    }
}
