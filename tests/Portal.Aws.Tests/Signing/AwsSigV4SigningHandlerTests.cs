using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Portal.Aws.Signing;
using Portal.Testing;

namespace Portal.Aws.Tests.Signing;

/// <summary>
/// The handler against AWS's published SigV4 examples. The signature test suite's <c>get-vanilla</c> family signs
/// only <c>host;x-amz-date</c>, while AWSSDK.Core's signer always signs <c>x-amz-content-sha256</c> too, so those
/// exact signatures cannot come out of it. The worked examples in the Amazon S3 API reference
/// ("Signature Calculations for the Authorization Header", docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)
/// do sign the body hash, and are used here with their documented keys, time and signatures.
/// </summary>
public sealed class AwsSigV4SigningHandlerTests
{
    private const string S3AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string S3SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset S3ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SendAsync_S3GetObjectExample_ProducesTheDocumentedAuthorization()
    {
        var (client, sent) = Create("s3", new BasicAWSCredentials(S3AccessKey, S3SecretKey), S3ExampleTime);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");

        using var _ = await client.SendAsync(request);

        var signed = sent.Single();
        signed.Header("Authorization").ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        signed.Header("X-Amz-Date").ShouldBe("20130524T000000Z");
        signed.Header("X-Amz-Content-SHA256").ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public async Task SendAsync_S3PutObjectExampleWithBody_SignsTheBodyHashAsDocumented()
    {
        var (client, sent) = Create("s3", new BasicAWSCredentials(S3AccessKey, S3SecretKey), S3ExampleTime);
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://examplebucket.s3.amazonaws.com/test$file.text")
        {
            Content = new ByteArrayContent("Welcome to Amazon S3."u8.ToArray()),
        };
        request.Headers.Date = new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
        request.Headers.TryAddWithoutValidation("x-amz-storage-class", "REDUCED_REDUNDANCY");

        using var _ = await client.SendAsync(request);

        var signed = sent.Single();
        signed.Header("Authorization").ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
        signed.Header("X-Amz-Content-SHA256").ShouldBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        signed.Body.ShouldBe("Welcome to Amazon S3.", "the body must still be sent after the handler read it to hash it");
    }

    [Fact]
    public async Task SendAsync_S3ListObjectsExampleWithQuery_SignsTheQueryAsDocumented()
    {
        var (client, sent) = Create("s3", new BasicAWSCredentials(S3AccessKey, S3SecretKey), S3ExampleTime);

        using var _ = await client.GetAsync("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J");

        sent.Single().Header("Authorization").ShouldEndWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }

    [Fact]
    public async Task SendAsync_SessionCredentials_SendsAndSignsTheSecurityToken()
    {
        var (client, sent) = Create("es", new SessionAWSCredentials("AKIDEXAMPLE", "secret", "the-session-token"), S3ExampleTime);
        using var content = new StringContent("{\"size\":0}", Encoding.UTF8, "application/json");

        using var _ = await client.PostAsync("https://search-logs.eu-west-1.es.amazonaws.com/logs-*/_search", content);

        var signed = sent.Single();
        signed.Header("X-Amz-Security-Token").ShouldBe("the-session-token");
        signed.Header("Authorization").ShouldContain("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
        signed.Header("Authorization").ShouldContain("Credential=AKIDEXAMPLE/20130524/us-east-1/es/aws4_request");
        signed.Header("X-Amz-Content-SHA256").ShouldBe(Convert.ToHexStringLower(SHA256.HashData("{\"size\":0}"u8)));
    }

    [Fact]
    public async Task SendAsync_ClockMoves_EachRequestIsSignedAtItsOwnTime()
    {
        var clock = new FakeClock(S3ExampleTime);
        var sent = new List<SentRequest>();
        using var client = new HttpClient(new AwsSigV4SigningHandler("eu-west-1", "es", () => new BasicAWSCredentials("AKID", "secret"), clock)
        {
            InnerHandler = new RecordingHandler(sent),
        });

        using (await client.GetAsync("https://search.example.com/_cluster/health"))
        {
        }

        clock.Advance(TimeSpan.FromMinutes(20));
        using (await client.GetAsync("https://search.example.com/_cluster/health"))
        {
        }

        sent.Select(r => r.Header("X-Amz-Date")).ShouldBe(["20130524T000000Z", "20130524T002000Z"]);
        sent[0].Header("Authorization").ShouldNotBe(sent[1].Header("Authorization"));
    }

    [Fact]
    public async Task SendAsync_NoCredentials_ThrowsWithoutSendingAndNamesTheChain()
    {
        var sent = new List<SentRequest>();
        using var client = new HttpClient(new AwsSigV4SigningHandler("eu-west-1", "es", () => throw new AmazonClientException("nothing found"), TimeProvider.System)
        {
            InnerHandler = new RecordingHandler(sent),
        });

        var error = await Should.ThrowAsync<AwsCredentialsUnavailableException>(() => client.GetAsync("https://search.example.com/"));

        error.Message.ShouldContain("instance metadata");
        sent.ShouldBeEmpty();
    }

    private static (HttpClient Client, List<SentRequest> Sent) Create(string service, AWSCredentials credentials, DateTimeOffset at)
    {
        var sent = new List<SentRequest>();
        var handler = new AwsSigV4SigningHandler("us-east-1", service, () => credentials, new FakeClock(at)) { InnerHandler = new RecordingHandler(sent) };
        return (new HttpClient(handler), sent);
    }

    private sealed record SentRequest(Dictionary<string, string> Headers, string? Body)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new ShouldAssertException($"No {name} header was sent.");
    }

    /// <summary>The end of the pipeline: records what would go on the wire and answers 200.</summary>
    private sealed class RecordingHandler(List<SentRequest> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            sent.Add(new SentRequest(headers, body));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
