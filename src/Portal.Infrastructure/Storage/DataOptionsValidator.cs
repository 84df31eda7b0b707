using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Storage;

/// <summary>The data directory must be a usable path, exist (it is created) and be writable.</summary>
public sealed class DataOptionsValidator : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        const string key = $"{DataOptions.SectionName}:Directory ({DataOptions.DirectoryVariable})";
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail($"{key}: must not be empty.");
        }

        try
        {
            var path = Path.GetFullPath(options.Directory);
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail($"{key}: '{options.Directory}' is not a writable directory ({ex.Message}).");
        }
    }
}
