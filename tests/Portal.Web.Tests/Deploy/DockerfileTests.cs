using Portal.Testing;

namespace Portal.Web.Tests.Deploy;

/// <summary>No Docker engine runs here, so the Dockerfile's promises are checked as text.</summary>
public class DockerfileTests
{
    // Instructions with their backslash continuations joined, one per entry.
    private static readonly string[] Lines = File.ReadAllText(RepositoryPaths.Combine("Dockerfile"))
        .Replace("\\\n", " ", StringComparison.Ordinal)
        .Split('\n');

    [Fact]
    public void Dockerfile_IsMultiStage() => Lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(2);

    [Fact]
    public void Dockerfile_FinalStage_RunsAsNonRootExposes8080AndChecksHealth()
    {
        var final = Lines.SkipWhile((_, i) => i < Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        final.ShouldContain(l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        final.ShouldContain("EXPOSE 8080");
        final.ShouldContain(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("healthcheck", StringComparison.Ordinal));
    }
}
