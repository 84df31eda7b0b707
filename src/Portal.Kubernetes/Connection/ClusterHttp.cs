using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Core.Http;

namespace Portal.Kubernetes.Connection;

/// <summary>
/// The HTTP stack for one cluster: TLS that trusts exactly the kubeconfig's CA (or the system's, or nothing when
/// insecure-skip-tls-verify is set), a client certificate when the user has one, and the bearer token, read from the
/// kubeconfig, a token file (re-read, as service-account tokens rotate) or an exec plugin (cached until it expires,
/// fetched again once after a 401).
/// </summary>
public static class ClusterHttp
{
    public static HttpClient CreateClient(ClusterConnection connection, ExecCredentialProvider exec)
    {
        var client = new HttpClient(CreateHandler(connection, exec), disposeHandler: true)
        {
            BaseAddress = new Uri(connection.Server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,   // watches and log streams are long; each call sets its own deadline
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Portal", "1.0"));
        return client;
    }

    public static HttpMessageHandler CreateHandler(ClusterConnection connection, ExecCredentialProvider exec)
    {
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.GZip,
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = connection.TlsServerName,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ValidateServer(connection, certificate as X509Certificate2, errors),
            },
        };
        if (connection.Credentials is ClusterCredentials.ClientCertificate cc)
        {
            sockets.SslOptions.ClientCertificates = [LoadClientCertificate(cc.CertificatePem, cc.KeyPem)];
        }

        return new CredentialHandler(connection, exec) { InnerHandler = new ConnectionErrorHandler(sockets) };
    }

    /// <summary>
    /// Chain to the kubeconfig's CA only (not the system store), and the name must match: the kubeconfig's
    /// tls-server-name when it has one (SocketsHttpHandler itself only checks the URL's host), else the URL's host.
    /// </summary>
    internal static bool ValidateServer(ClusterConnection connection, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (connection.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        var nameMatches = connection.TlsServerName is { Length: > 0 } expected
            ? certificate.MatchesHostname(expected)
            : !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        if (!nameMatches)
        {
            return false;
        }

        if (connection.CertificateAuthority is null)
        {
            return !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var ca in ReadCertificates(connection.CertificateAuthority))
        {
            chain.ChainPolicy.CustomTrustStore.Add(ca);
        }

        return chain.Build(certificate);
    }

    private static X509Certificate2Collection ReadCertificates(byte[] pemOrDer)
    {
        var collection = new X509Certificate2Collection();
        var text = Encoding.ASCII.GetString(pemOrDer);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPem(text);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificate(pemOrDer));
        }

        return collection;
    }

    private static X509Certificate2 LoadClientCertificate(byte[] certificatePem, byte[] keyPem)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certificatePem), Encoding.ASCII.GetString(keyPem));

        // SslStream on Linux wants a key it can export to the TLS stack; a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class CredentialHandler(ClusterConnection connection, ExecCredentialProvider exec) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            await AuthorizeAsync(request, ct);
            var response = await base.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && connection.Credentials is ClusterCredentials.Exec e && request.Content is null)
            {
                // An exec token may have been revoked before its stated expiry: fetch a fresh one and try once more.
                response.Dispose();
                exec.Invalidate(e.Plugin);
                await AuthorizeAsync(request, ct);
                response = await base.SendAsync(request, ct);
            }

            return response;
        }

        private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken ct)
        {
            string? token;
            try
            {
                token = connection.Credentials switch
                {
                    ClusterCredentials.Token { Value: { } value } => value,
                    ClusterCredentials.Token { File: { } file } => (await File.ReadAllTextAsync(file, ct)).Trim(),
                    ClusterCredentials.Exec e => (await exec.GetAsync(e.Plugin, connection.Server, ct)).Token,
                    _ => null,
                };
            }
            catch (Exception ex) when (ex is ExecCredentialException or IOException or UnauthorizedAccessException)
            {
                // A failure to get credentials is a failure of the request, as HttpClient callers expect. A token file
                // that cannot be read is marked as such: a bare IOException inside HttpRequestException is what a reset
                // connection looks like, and the two must not be told apart by guesswork.
                throw new HttpRequestException(HttpRequestError.Unknown, "Portal could not get credentials for the cluster.",
                    ex is ExecCredentialException ? ex : new TokenFileException(ex));
            }

            request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        }
    }
}

/// <summary>The cluster's token file could not be read (missing, unreadable): a credentials problem, not a network one.</summary>
public sealed class TokenFileException(Exception inner) : Exception("Portal could not read its token file for the cluster.", inner);
