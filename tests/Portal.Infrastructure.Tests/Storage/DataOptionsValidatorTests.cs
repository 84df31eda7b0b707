using Portal.Infrastructure.Storage;
using Portal.Testing;

namespace Portal.Infrastructure.Tests.Storage;

public sealed class DataOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Validate_NewDirectory_IsCreated()
    {
        var path = Path.Combine(_directory.Path, "a", "b");

        new DataOptionsValidator().Validate(null, new DataOptions { Directory = path }).Succeeded.ShouldBeTrue();

        Directory.Exists(path).ShouldBeTrue();
    }

    [Fact]
    public void Validate_PathThatIsAFile_NamesTheSetting()
    {
        var file = _directory.File("not-a-dir");
        File.WriteAllText(file, "x");

        var result = new DataOptionsValidator().Validate(null, new DataOptions { Directory = file });

        result.FailureMessage!.ShouldStartWith("Data:Directory (PORTAL_DATA_DIR): ");
    }

    [Fact]
    public void Validate_Empty_NamesTheSetting() =>
        new DataOptionsValidator().Validate(null, new DataOptions { Directory = " " }).FailureMessage!.ShouldContain("must not be empty");

    public void Dispose() => _directory.Dispose();
}
