using System.Text;
using System.Text.Json.Nodes;
using Portal.Aws.Protocol;

namespace Portal.Aws.Tests.Protocol;

/// <summary>Every error case of botocore's awsJson1_0, awsJson1_1 and query-compatible output protocol tests.</summary>
public sealed class AwsJsonErrorParserTests
{
    public static TheoryData<string, string> ErrorCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "output-json_1_0.json", "output-json.json", "output-json_1_0-query-compatible.json" })
        {
            foreach (var suite in ReferenceData.Json($"ProtocolTests/{file}").AsArray())
            {
                foreach (var testCase in suite!["cases"]!.AsArray().Where(c => c!["errorCode"] is not null))
                {
                    data.Add(file, testCase!["id"]!.GetValue<string>());
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Parse_ProtocolTestErrorCase_FindsTheExpectedCodeAndMessage(string file, string id)
    {
        var suite = ReferenceData.Json($"ProtocolTests/{file}").AsArray().First(s => s!["cases"]!.AsArray().Any(c => c!["id"]?.GetValue<string>() == id))!;
        var testCase = suite["cases"]!.AsArray().First(c => c!["id"]?.GetValue<string>() == id)!;
        var response = testCase["response"]!;
        var headers = (response["headers"]?.AsObject() ?? []).ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var body = response["body"]?.GetValue<string>() ?? "";
        var queryCompatible = suite["metadata"]!["awsQueryCompatible"] is not null;

        var error = AwsJsonErrorParser.Parse(response["status_code"]!.GetValue<int>(), name => headers.GetValueOrDefault(name), Encoding.UTF8.GetBytes(body), queryCompatible);

        error.Code.ShouldBe(testCase["errorCode"]!.GetValue<string>());
        if (testCase["errorMessage"] is JsonValue message)
        {
            error.Message.ShouldBe(message.GetValue<string>());
        }
    }

    [Fact]
    public void Parse_QueryErrorHeaderOnANonQueryCompatibleService_IsIgnored()
    {
        var error = AwsJsonErrorParser.Parse(400, name => name == "x-amzn-query-error" ? "Customized;Sender" : null,
            """{"__type":"aws.protocoltests.json10#CustomCodeError","message":"Hi"}"""u8, queryCompatible: false);

        error.Code.ShouldBe("CustomCodeError");
    }

    [Fact]
    public void Parse_BodyThatIsNotJson_FallsBackToTheStatusCode()
    {
        var error = AwsJsonErrorParser.Parse(502, _ => null, "<html>Bad Gateway</html>"u8, queryCompatible: true);

        error.ShouldBe(new AwsServiceError(502, "502", ""));
    }
}
