namespace Portal.Infrastructure.Storage;

/// <summary>Settings of the <c>Data</c> section: where Portal keeps its files.</summary>
public sealed class DataOptions
{
    public const string SectionName = "Data";

    /// <summary>The environment variable that sets <see cref="Directory"/> when the setting itself is absent.</summary>
    public const string DirectoryVariable = "PORTAL_DATA_DIR";

    public const string DefaultDirectory = ".data";

    /// <summary>Absolute path of the data directory (relative paths resolve against the working directory).</summary>
    public string Directory { get; set; } = DefaultDirectory;
}
