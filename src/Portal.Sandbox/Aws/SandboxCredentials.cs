using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Aws;

/// <summary>
/// The sandbox's one AWS access key: generated on first start in the shapes AWS uses (an <c>AKIA</c> key id of 20
/// upper-case characters, a 40-character secret), kept in the sandbox directory in a file only its owner can read.
/// </summary>
internal sealed record SandboxCredentials(string AccessKeyId, string SecretAccessKey)
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static SandboxCredentials LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            try
            {
                var saved = JsonNode.Parse(File.ReadAllText(path));
                if ((string?)saved?["accessKeyId"] is { Length: > 0 } id && (string?)saved["secretAccessKey"] is { Length: > 0 } secret)
                {
                    return new SandboxCredentials(id, secret);
                }
            }
            catch (JsonException)
            {
                // Unreadable: a new key replaces it, as if the file had been deleted.
            }
        }

        var credentials = new SandboxCredentials("AKIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16), RandomNumberGenerator.GetString(SecretAlphabet, 40));
        WriteOwnerOnly(path, new JsonObject { ["accessKeyId"] = credentials.AccessKeyId, ["secretAccessKey"] = credentials.SecretAccessKey }.ToJsonString());
        return credentials;
    }

    /// <summary>Never the secret: records print themselves, and this one must not end up in a log.</summary>
    public override string ToString() => $"SandboxCredentials {{ AccessKeyId = {AccessKeyId} }}";

    private static void WriteOwnerOnly(string path, string content)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        using var writer = new StreamWriter(file);
        writer.Write(content);
    }
}
