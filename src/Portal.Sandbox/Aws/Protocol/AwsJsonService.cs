namespace Portal.Sandbox.Aws.Protocol;

/// <summary>
/// How one AWS JSON-protocol service names itself on the wire: the <c>X-Amz-Target</c> prefix, the SigV4 signing
/// name, the content type, the namespace of its modeled errors, and whether it is query-compatible (CloudWatch is:
/// its errors also carry the old Query error code in an <c>x-amzn-query-error</c> header).
/// </summary>
internal sealed record AwsJsonService(string TargetPrefix, string SigningName, string ContentType, string ErrorNamespace, bool QueryCompatible)
{
    /// <summary>CloudWatch over awsJson1.0 (botocore-cloudwatch-2010-08-01-service-2.json: targetPrefix, jsonVersion, awsQueryCompatible).</summary>
    public static AwsJsonService CloudWatch { get; } =
        new("GraniteServiceVersion20100801", "monitoring", "application/x-amz-json-1.0", "com.amazonaws.cloudwatch.v2010_08_01", QueryCompatible: true);

    /// <summary>CloudTrail over awsJson1.1 (botocore-cloudtrail-2013-11-01-service-2.json).</summary>
    public static AwsJsonService CloudTrail { get; } =
        new("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "cloudtrail", "application/x-amz-json-1.1", "com.amazonaws.cloudtrail.v20131101", QueryCompatible: false);

    public static IReadOnlyList<AwsJsonService> All { get; } = [CloudWatch, CloudTrail];
}
