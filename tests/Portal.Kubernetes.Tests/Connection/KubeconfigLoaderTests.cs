using System.Text;
using Portal.Kubernetes.Connection;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Connection;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("kubeconfig");

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Load_CurrentContextWithToken_ResolvesServerCaNamespaceAndToken()
    {
        var path = Write($$"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: sandbox
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {{B64("CA PEM")}}
            contexts:
            - name: dev
              context: {cluster: sandbox, user: portal, namespace: team-a}
            users:
            - name: portal
              user:
                token: abc.def
            preferences: {}
            """);

        var connection = KubeconfigLoader.Load(path);

        connection.Context.ShouldBe("dev");
        connection.Server.ShouldBe(new Uri("https://127.0.0.1:6443"));
        Encoding.UTF8.GetString(connection.CertificateAuthority!).ShouldBe("CA PEM");
        connection.Namespace.ShouldBe("team-a");
        connection.Credentials.ShouldBe(new ClusterCredentials.Token("abc.def", null));
    }

    [Fact]
    public void Load_NamedContext_ClientCertificateFilesRelativeToTheKubeconfig()
    {
        Directory.CreateDirectory(_dir.File("pki"));
        File.WriteAllText(_dir.File("pki/client.crt"), "CERT");
        File.WriteAllText(_dir.File("pki/client.key"), "KEY");
        var path = Write("""
            current-context: other
            clusters:
            - {name: prod, cluster: {server: "https://prod.example:443", insecure-skip-tls-verify: true, tls-server-name: api.prod}}
            contexts:
            - {name: other, context: {cluster: prod, user: nobody}}
            - {name: prod-admin, context: {cluster: prod, user: admin}}
            users:
            - {name: admin, user: {client-certificate: pki/client.crt, client-key: pki/client.key}}
            - {name: nobody, user: {}}
            """);

        var connection = KubeconfigLoader.Load(path, "prod-admin");

        connection.InsecureSkipTlsVerify.ShouldBeTrue();
        connection.TlsServerName.ShouldBe("api.prod");
        var certificate = connection.Credentials.ShouldBeOfType<ClusterCredentials.ClientCertificate>();
        Encoding.UTF8.GetString(certificate.CertificatePem).ShouldBe("CERT");
        Encoding.UTF8.GetString(certificate.KeyPem).ShouldBe("KEY");
    }

    [Fact]
    public void Load_ExecPlugin_KeepsCommandArgsEnvAndFolder()
    {
        var path = Write("""
            current-context: eks
            clusters: [{name: eks, cluster: {server: "https://eks.example"}}]
            contexts: [{name: eks, context: {cluster: eks, user: aws}}]
            users:
            - name: aws
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: [eks, get-token, --cluster-name, prod]
                  env: [{name: AWS_PROFILE, value: platform}]
                  provideClusterInfo: true
                  interactiveMode: Never
            """);

        var exec = KubeconfigLoader.Load(path).Credentials.ShouldBeOfType<ClusterCredentials.Exec>().Plugin;

        exec.Command.ShouldBe("aws");
        exec.Args.ShouldBe(["eks", "get-token", "--cluster-name", "prod"]);
        exec.Env["AWS_PROFILE"].ShouldBe("platform");
        exec.ProvideClusterInfo.ShouldBeTrue();
        exec.WorkingDirectory.ShouldBe(_dir.Path);
    }

    [Theory]
    [InlineData("clusters: [", "not valid YAML at line")]
    [InlineData("contexts: [{name: a, context: {cluster: c, user: u}}]", "no context was named and the file has no current-context")]
    [InlineData("current-context: x\ncontexts: [{name: a, context: {cluster: c}}]", "there is no context named 'x'")]
    [InlineData("current-context: a\ncontexts: [{name: a, context: {cluster: c}}]", "there is no cluster named 'c' (named by context 'a')")]
    [InlineData("current-context: a\nclusters: [{name: c, cluster: {server: 'not a url'}}]\ncontexts: [{name: a, context: {cluster: c}}]", "cluster 'c' has no valid server URL")]
    [InlineData("current-context: a\nclusters: [{name: c, cluster: {server: 'https://x', certificate-authority-data: '%%%'}}]\ncontexts: [{name: a, context: {cluster: c}}]", "certificate-authority-data is not base64")]
    [InlineData("current-context: a\nclusters: [{name: c, cluster: {server: 'https://x', certificate-authority: missing.crt}}]\ncontexts: [{name: a, context: {cluster: c}}]", "certificate-authority")]
    [InlineData("current-context: a\nclusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {exec: {apiVersion: v9, command: x}}}]", "exec apiVersion 'v9'")]
    public void Load_Malformed_OneLineNamingFileAndProblem(string yaml, string problem)
    {
        var path = Write(yaml);

        var ex = Should.Throw<KubeconfigException>(() => KubeconfigLoader.Load(path));

        ex.File.ShouldBe(path);
        ex.Message.ShouldStartWith($"{path}: ");
        ex.Problem.ShouldContain(problem);
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Load_MissingFile_SaysSo() =>
        Should.Throw<KubeconfigException>(() => KubeconfigLoader.Load(_dir.File("nope"))).Problem.ShouldBe("the file does not exist");

    public void Dispose() => _dir.Dispose();

    private string Write(string yaml)
    {
        var path = _dir.File($"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, yaml);
        return path;
    }
}
