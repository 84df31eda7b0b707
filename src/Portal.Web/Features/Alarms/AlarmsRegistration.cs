using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Aws.Accounts;
using Portal.Core.Alarms;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Sections <c>Alarms</c> and <c>Aws</c>: where alarms and CloudTrail events are read (the AWS accounts configured, or
/// the embedded sandbox's CloudWatch and CloudTrail endpoints), how often, and how alarms map to environments.
/// </summary>
internal static class AlarmsRegistration
{
    public static IHostApplicationBuilder AddPortalAlarms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlarmsOptions>().BindConfiguration(AlarmsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlarmsOptions>, AlarmsOptionsValidator>();
        builder.Services.AddSingleton<AlarmPoller>();
        builder.Services.AddSingleton<IAlarmFeed>(sp => sp.GetRequiredService<AlarmPoller>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmPoller>());
        builder.Services.AddScoped<InvestigationService>();
        var aws = builder.Configuration.GetSection("Aws");
        if (aws.GetSection("Accounts").GetChildren().Any())
        {
            builder.Services.AddPortalAws(aws, "aws");
        }
        else if ((builder.Configuration.GetSection(KubernetesOptions.SectionName).Get<KubernetesOptions>() ?? new KubernetesOptions()).SandboxEnabled)
        {
            builder.Services.AddAwsClientFactory();
            builder.Services.AddSingleton<SandboxAwsHost>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SandboxAwsHost>());
            builder.Services.AddSingleton<SandboxAlarmSource>();
            builder.Services.AddSingleton<IAlarmSource>(sp => sp.GetRequiredService<SandboxAlarmSource>());
            builder.Services.AddSingleton<IChangeTrail>(sp => sp.GetRequiredService<SandboxAlarmSource>());
        }

        builder.Services.TryAddSingleton<NoAlarmSource>();
        builder.Services.TryAddSingleton<IAlarmSource>(sp => sp.GetRequiredService<NoAlarmSource>());
        builder.Services.TryAddSingleton<IChangeTrail>(sp => sp.GetRequiredService<NoAlarmSource>());
        return builder;
    }
}

internal sealed class AlarmsOptionsValidator : IValidateOptions<AlarmsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlarmsOptions options)
    {
        var failures = new List<string>();
        var section = AlarmsOptions.SectionName;
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:PollInterval must be between 00:00:01 and 01:00:00 (got {options.PollInterval}).");
        }

        if (options.InvestigateLead < TimeSpan.Zero || options.InvestigateLead > TimeSpan.FromDays(1))
        {
            failures.Add($"{section}:InvestigateLead must be between 00:00:00 and 1.00:00:00 (got {options.InvestigateLead}).");
        }

        foreach (var (key, pattern, groups) in new[]
        {
            ("NamePattern", options.Mapping.NamePattern, new[] { "environment", "service" }),
            ("SeverityPattern", options.Mapping.SeverityPattern, ["severity"]),
        })
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                continue;
            }

            try
            {
                var regex = new System.Text.RegularExpressions.Regex(pattern);
                if (!groups.Any(g => regex.GetGroupNames().Contains(g)))
                {
                    failures.Add($"{section}:Mapping:{key} must have a named group ({string.Join(" or ", groups.Select(g => $"?<{g}>"))}).");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{section}:Mapping:{key} is not a valid regular expression: {ex.Message}");
            }
        }

        if (options.Sandbox.PeriodSeconds is not (10 or 30 or 60))
        {
            failures.Add($"{section}:Sandbox:PeriodSeconds must be 10, 30 (high resolution) or 60 (got {options.Sandbox.PeriodSeconds}).");
        }

        if (!Enum.IsDefined(options.Mapping.DefaultSeverity))
        {
            failures.Add($"{section}:Mapping:DefaultSeverity must be Critical, High, Warning or Info.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
