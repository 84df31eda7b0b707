namespace Portal.Aws.Tests;

/// <summary>
/// Environment variables are process-global: the tests that set them run in this collection, which xUnit runs
/// alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}

/// <summary>
/// A clean AWS environment for one test: every <c>AWS_*</c> variable and <c>HOME</c> saved and cleared, <c>HOME</c>
/// and the profile files pointed into an emptied <see cref="Home"/> (so the machine's own <c>~/.aws</c> is never
/// read), instance metadata switched off, then the test's variables set; all restored on dispose.
/// </summary>
/// <remarks>
/// <see cref="Home"/> is one folder for the whole test run because AWSSDK.Core keeps the first
/// <c>AWS_CONFIG_FILE</c> path it reads for the life of the process (it does re-read the file's content). So every
/// test that makes the SDK read profiles (the chain, a region lookup) must run in this collection, in this environment.
/// </remarks>
internal sealed class AwsEnvironment : IDisposable
{
    public static readonly string Home = Path.Combine(Path.GetTempPath(), $"portal-aws-home-{Environment.ProcessId}");

    private readonly Dictionary<string, string?> _saved = [];

    public AwsEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        Empty();
        Directory.CreateDirectory(Path.Combine(Home, ".aws"));
        var names = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(n => n.StartsWith("AWS_", StringComparison.Ordinal))
            .Concat(variables.Keys)
            .Concat(["HOME", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED"])
            .Distinct();
        foreach (var name in names)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("HOME", Home);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Home, ".aws", "config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Home, ".aws", "credentials"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> under <see cref="Home"/>; returns its full path.</summary>
    public static string Write(string name, string text)
    {
        var path = Path.Combine(Home, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Empty();
    }

    private static void Empty()
    {
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }
}
