using System.Text.Json.Nodes;
using Portal.Aws.CloudTrail;

namespace Portal.Aws.Tests.CloudTrail;

public sealed class CloudTrailEventSanitizerTests
{
    [Fact]
    public void Sanitize_AssumeRoleEvent_RemovesCredentialsAtEveryDepthAndKeepsTheRest()
    {
        const string assumeRole = """
            {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"},
             "eventName":"AssumeRole","requestParameters":{"roleArn":"arn:aws:iam::123456789012:role/x","roleSessionName":"s"},
             "responseElements":{"credentials":{"AccessKeyId":"ASIAEXAMPLE","SessionToken":"FQoGZXIvYXdzEXAMPLE","expiration":"Nov 22, 2026"},
               "assumedRoleUser":{"arn":"arn:aws:sts::123456789012:assumed-role/x/s"}},
             "additionalEventData":[{"password":"hunter2","secretAccessKey":"wJalrEXAMPLE","note":"kept"}]}
            """;

        var sanitized = CloudTrailEventSanitizer.Sanitize(assumeRole)!;

        sanitized.ShouldNotContain("AKIAIOSFODNN7EXAMPLE");
        sanitized.ShouldNotContain("ASIAEXAMPLE");
        sanitized.ShouldNotContain("FQoGZXIvYXdzEXAMPLE");
        sanitized.ShouldNotContain("hunter2");
        sanitized.ShouldNotContain("wJalrEXAMPLE");
        var json = JsonNode.Parse(sanitized)!;
        json["userIdentity"]!["userName"]!.GetValue<string>().ShouldBe("alice");
        json["responseElements"]!["credentials"]!["expiration"]!.GetValue<string>().ShouldBe("Nov 22, 2026");
        json["responseElements"]!["assumedRoleUser"]!["arn"]!.GetValue<string>().ShouldEndWith("assumed-role/x/s");
        json["additionalEventData"]![0]!["note"]!.GetValue<string>().ShouldBe("kept");
        json["requestParameters"]!["roleSessionName"]!.GetValue<string>().ShouldBe("s");
    }

    [Fact]
    public void Sanitize_AwsCliExample_RemovesNothingElse()
    {
        var record = ReferenceData.Json("AwsCli/cloudtrail_lookup-events.output.json")["Events"]![0]!["CloudTrailEvent"]!.GetValue<string>();

        var sanitized = CloudTrailEventSanitizer.Sanitize(record)!;

        JsonNode.DeepEquals(JsonNode.Parse(sanitized), JsonNode.Parse(record)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json, accessKeyId: AKIA}")]
    public void Sanitize_NothingOrNotJson_IsNull(string? record)
    {
        CloudTrailEventSanitizer.Sanitize(record).ShouldBeNull();
    }
}
