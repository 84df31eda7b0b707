namespace Portal.Aws.Protocol;

/// <summary>
/// What the AWS JSON protocol needs to know about one service, from its botocore model's <c>metadata</c>: the
/// <c>X-Amz-Target</c> prefix, the <c>jsonVersion</c> (as the content type), and whether it is
/// <c>awsQueryCompatible</c> (then every request says <c>x-amzn-query-mode: true</c> and errors may carry their
/// query-protocol code in <c>x-amzn-query-error</c>). The SigV4 signing name and the IAM prefix name it in messages.
/// </summary>
public sealed record AwsJsonService(string DisplayName, string SigningName, string IamPrefix, string TargetPrefix, string ContentType, bool QueryCompatible)
{
    /// <summary>monitoring-2010-08-01: jsonVersion 1.0, awsQueryCompatible.</summary>
    public static AwsJsonService CloudWatch { get; } =
        new("CloudWatch", "monitoring", "cloudwatch", "GraniteServiceVersion20100801", "application/x-amz-json-1.0", QueryCompatible: true);

    /// <summary>cloudtrail-2013-11-01: jsonVersion 1.1.</summary>
    public static AwsJsonService CloudTrail { get; } =
        new("CloudTrail", "cloudtrail", "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "application/x-amz-json-1.1", QueryCompatible: false);
}
