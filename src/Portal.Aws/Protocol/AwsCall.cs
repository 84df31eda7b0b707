namespace Portal.Aws.Protocol;

/// <summary>One operation against one account, named the way failure messages need it.</summary>
/// <param name="Account">The configured account name (<c>Aws:Accounts:N:Name</c>).</param>
/// <param name="Service">The service's display name, e.g. CloudWatch.</param>
/// <param name="Operation">The operation, e.g. DescribeAlarms.</param>
/// <param name="IamAction">The IAM action the operation needs, e.g. <c>cloudwatch:DescribeAlarms</c>.</param>
/// <param name="Endpoint">Where the request goes: scheme, host and port only appear in messages.</param>
public sealed record AwsCall(string Account, string Service, string Operation, string IamAction, Uri Endpoint)
{
    public string Host => Endpoint.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
}
