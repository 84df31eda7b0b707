using Portal.Aws.Sts;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.Sts;

public sealed class StsClientTests : IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/portal-reader";

    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private StsClient Client() => new(TestAccounts.Transport(_fake.Url, "sts"));

    [Fact]
    public async Task AssumeRoleAsync_SendsAFormPostSignedForStsAndParsesTheDocumentedResponse()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role.response.xml"));

        var response = await Client().AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = RoleArn,
            RoleSessionName = "portal-prod",
            ExternalId = "portal:ext/42",
            DurationSeconds = 3600,
        }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/");
        sent.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        sent.Header("Authorization")!.ShouldContain($"Credential={TestAccounts.AccessKey}/");
        sent.Header("Authorization")!.ShouldContain("/us-east-1/sts/aws4_request");
        sent.Form.ShouldBe(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRole",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = RoleArn,
            ["RoleSessionName"] = "portal-prod",
            ["DurationSeconds"] = "3600",
            ["ExternalId"] = "portal:ext/42",
        });
        sent.Form.Keys.ShouldBe(["Action", "Version", "RoleArn", "RoleSessionName", "DurationSeconds", "ExternalId"]);
        response.Credentials.AccessKeyId.ShouldBe("ASIAIOSFODNN7EXAMPLE");
        response.Credentials.SecretAccessKey.ShouldBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
        response.Credentials.SessionToken.ShouldStartWith("AQoDYXdzEPT//////////wEXAMPLE");
        response.Credentials.SessionToken.ShouldEndWith("CCR/oLxBA==", Case.Sensitive, "the whitespace around the token is not part of it");
        response.Credentials.Expiration.ShouldBe(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        response.AssumedRoleUser.ShouldBe(new AssumedRoleUser("ARO123EXAMPLE123:portal-prod", "arn:aws:sts::123456789012:assumed-role/portal-reader/portal-prod"));
        response.PackedPolicySize.ShouldBe(6);
    }

    [Fact]
    public async Task AssumeRoleAsync_OptionalParametersUnset_AreNotSent()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role.response.xml"));

        await Client().AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "s1" }, CancellationToken.None);

        _fake.Requests.Single().Body.ShouldBe("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fportal-reader&RoleSessionName=s1");
    }

    [Fact]
    public async Task AssumeRoleAsync_AccessDenied_IsCredentialsNamingTheAccountAndTheRole()
    {
        _fake.Responder = _ => new FakeReply(403, ReferenceData.Text("Sts/assume-role.access-denied.xml"));

        var error = await Should.ThrowAsync<AlarmSourceException>(() =>
            Client().AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "s1" }, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith($"Account 'prod' could not assume role {RoleArn}");
        error.Message.ShouldContain("sts:AssumeRole");
        error.Message.ShouldNotContain(TestAccounts.AccessKey);
        _fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AssumeRoleAsync_ExpiredBaseCredentials_IsTheExpiredMessage()
    {
        _fake.Responder = _ => new FakeReply(400, """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code>
            <Message>The security token included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>
            """);

        var error = await Should.ThrowAsync<AlarmSourceException>(() =>
            Client().AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "s1" }, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith("The AWS credentials for account 'prod' have expired");
    }

    [Fact]
    public void StsCredentials_ToString_LeavesTheSecretsOut()
    {
        var credentials = new StsCredentials("ASIAEXAMPLE", "secret-key", "session-token", new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

        credentials.ToString().ShouldNotContain("secret-key");
        credentials.ToString().ShouldNotContain("session-token");
        credentials.ToString().ShouldNotContain("ASIAEXAMPLE");
    }

    private const string WebIdentityRoleArn = "arn:aws:iam::123456789012:role/portal-irsa";
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkVYQU1QTEUifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cG9ydGFsOnBvcnRhbCJ9.c2lnbmF0dXJl";

    private StsClient UnsignedClient(int maxAttempts = 3) => new(TestAccounts.UnsignedTransport(_fake.Url, new RecordedDelays().Policy(maxAttempts)));

    [Fact]
    public async Task AssumeRoleWithWebIdentityAsync_SendsTheDocumentedUnsignedFormAndParsesTheResponse()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role-with-web-identity.response.xml"));

        var response = await UnsignedClient().AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = WebIdentityRoleArn,
            RoleSessionName = "portal-pod",
            WebIdentityToken = Token,
            DurationSeconds = 3600,
        }, CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/");
        sent.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        sent.Header("Authorization").ShouldBeNull("AssumeRoleWithWebIdentity is not signed: the token is the proof");
        sent.Header("X-Amz-Security-Token").ShouldBeNull();
        sent.Form.Keys.ShouldBe(["Action", "Version", "RoleArn", "RoleSessionName", "WebIdentityToken", "DurationSeconds"]);
        sent.Form.ShouldBe(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = WebIdentityRoleArn,
            ["RoleSessionName"] = "portal-pod",
            ["WebIdentityToken"] = Token,
            ["DurationSeconds"] = "3600",
        });
        response.Credentials.AccessKeyId.ShouldBe("ASgeIAIOSFODNN7EXAMPLE");
        response.Credentials.SecretAccessKey.ShouldBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
        response.Credentials.SessionToken.ShouldBe("AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
        response.Credentials.Expiration.ShouldBe(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        response.AssumedRoleUser.ShouldBe(new AssumedRoleUser("AROACLKWSDQRAOEXAMPLE:portal-pod", "arn:aws:sts::123456789012:assumed-role/portal-irsa/portal-pod"));
        response.SubjectFromWebIdentityToken.ShouldBe("system:serviceaccount:portal:portal");
        response.Audience.ShouldBe("sts.amazonaws.com");
        response.Provider!.ShouldStartWith("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityAsync_SessionPolicies_AreSentAsQueryListMembers()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role-with-web-identity.response.xml"));

        await UnsignedClient().AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = WebIdentityRoleArn,
            RoleSessionName = "s1",
            WebIdentityToken = Token,
            ProviderId = "www.amazon.com",
            Policy = """{"Version":"2012-10-17"}""",
            PolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/extra"],
        }, CancellationToken.None);

        var form = _fake.Requests.Single().Form;
        form.Keys.ShouldBe(["Action", "Version", "RoleArn", "RoleSessionName", "WebIdentityToken", "ProviderId", "Policy", "PolicyArns.member.1.arn",
            "PolicyArns.member.2.arn"]);
        form["Policy"].ShouldBe("""{"Version":"2012-10-17"}""");
        form["PolicyArns.member.2.arn"].ShouldBe("arn:aws:iam::123456789012:policy/extra");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityAsync_InvalidIdentityToken_IsCredentialsNamingTheRoleAndWhatToCheckWithoutTheToken()
    {
        _fake.Responder = _ => new FakeReply(400, ReferenceData.Text("Sts/assume-role-with-web-identity.invalid-token.xml"));

        var error = await Should.ThrowAsync<AlarmSourceException>(() => UnsignedClient().AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest { RoleArn = WebIdentityRoleArn, RoleSessionName = "s1", WebIdentityToken = Token }, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith($"STS refused to assume role {WebIdentityRoleArn} with the web identity token (InvalidIdentityToken)");
        error.Message.ShouldContain("trust policy");
        error.Message.ShouldContain("STS said: Incorrect token audience");
        error.Message.ShouldNotContain(Token);
        _fake.Requests.Count.ShouldBe(1, "a refused token is not retried");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityAsync_ExpiredToken_SaysTheTokenFileIsStale()
    {
        _fake.Responder = _ => new FakeReply(400, """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredTokenException</Code>
            <Message>Token expired: current date/time 1795341600 must be before the expiration date/time 1795338000</Message></Error><RequestId>r</RequestId></ErrorResponse>
            """);

        var error = await Should.ThrowAsync<AlarmSourceException>(() => UnsignedClient().AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest { RoleArn = WebIdentityRoleArn, RoleSessionName = "s1", WebIdentityToken = Token }, CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain("(ExpiredTokenException): the token has expired");
        error.Message.ShouldNotContain("aws sso login", Case.Insensitive, "a web identity token is not renewed by signing in");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityAsync_IdpCommunicationError_IsRetriedThenSucceeds()
    {
        _fake.Responder = FakeAws.Sequence(
            new FakeReply(400, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>IDPCommunicationError</Code>
                <Message>Couldn't retrieve verification key from your identity provider</Message></Error><RequestId>r</RequestId></ErrorResponse>
                """),
            FakeReply.Ok(ReferenceData.Text("Sts/assume-role-with-web-identity.response.xml")));

        var response = await UnsignedClient().AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest { RoleArn = WebIdentityRoleArn, RoleSessionName = "s1", WebIdentityToken = Token }, CancellationToken.None);

        response.Credentials.AccessKeyId.ShouldBe("ASgeIAIOSFODNN7EXAMPLE");
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public void AssumeRoleWithWebIdentityRequest_ToString_LeavesTheTokenOut()
    {
        var request = new AssumeRoleWithWebIdentityRequest { RoleArn = WebIdentityRoleArn, RoleSessionName = "s1", WebIdentityToken = Token };

        request.ToString().ShouldNotContain(Token);
        request.ToString().ShouldContain(WebIdentityRoleArn);
    }
}
