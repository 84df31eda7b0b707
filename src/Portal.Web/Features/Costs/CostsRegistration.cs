using Microsoft.Extensions.Options;
using Portal.Core.Costs;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Costs;

/// <summary>
/// Section <c>Costs</c>: prices per cluster, the sampling interval, idle sharing and what counts as idle (validated at
/// start, naming the key); what the clusters run (<see cref="ClusterCostSnapshotSource"/>) and the host that samples it.
/// </summary>
internal static class CostsRegistration
{
    public static IHostApplicationBuilder AddPortalCosts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CostsOptions>().BindConfiguration(CostsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CostsOptions>, CostsOptionsValidator>();
        builder.Services.AddSingleton<ICostSnapshotSource, ClusterCostSnapshotSource>();
        builder.Services.AddHostedService<CostSamplingHost>();
        return builder;
    }
}

internal sealed class CostsOptionsValidator : IValidateOptions<CostsOptions>
{
    public ValidateOptionsResult Validate(string? name, CostsOptions options)
    {
        var failures = new List<string>();
        var section = CostsOptions.SectionName;
        var interval = options.SampleInterval;
        if (interval < TimeSpan.FromMinutes(1) || interval > TimeSpan.FromHours(1) || TimeSpan.FromHours(1).Ticks % interval.Ticks != 0)
        {
            failures.Add($"{section}:SampleInterval must be between 1 minute and 1 hour and divide an hour (got {interval}).");
        }

        if (string.IsNullOrWhiteSpace(options.Currency))
        {
            failures.Add($"{section}:Currency must not be empty.");
        }

        if (options.IdleAfterDays < 1)
        {
            failures.Add($"{section}:IdleAfterDays must be at least 1 (got {options.IdleAfterDays}).");
        }

        if (!(options.IdleCpuUsageShare is >= 0 and <= 1))
        {
            failures.Add($"{section}:IdleCpuUsageShare must be between 0 and 1 (got {options.IdleCpuUsageShare}).");
        }

        foreach (var (cluster, prices) in options.Clusters)
        {
            failures.AddRange(PriceFailures($"{section}:Clusters:{cluster}", prices));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> PriceFailures(string key, ClusterPrices? prices)
    {
        if (prices is null)
        {
            yield return $"{key} must have prices.";
            yield break;
        }

        foreach (var (type, hourly) in prices.NodeTypes)
        {
            if (hourly < 0)
            {
                yield return $"{key}:NodeTypes:{type} must not be negative (got {hourly}).";
            }
        }

        if (prices.CpuToMemoryPriceRatio <= 0)
        {
            yield return $"{key}:CpuToMemoryPriceRatio must be greater than 0 (got {prices.CpuToMemoryPriceRatio}).";
        }

        foreach (var (field, value) in new[]
        {
            (nameof(ClusterPrices.DefaultNodeHourly), prices.DefaultNodeHourly),
            (nameof(ClusterPrices.StorageGiBMonth), prices.StorageGiBMonth),
            (nameof(ClusterPrices.LoadBalancerHourly), prices.LoadBalancerHourly),
            (nameof(ClusterPrices.IngressHourly), prices.IngressHourly),
            (nameof(ClusterPrices.SharedMonthlyPerEnvironment), prices.SharedMonthlyPerEnvironment),
        })
        {
            if (value < 0)
            {
                yield return $"{key}:{field} must not be negative (got {value}).";
            }
        }
    }
}
