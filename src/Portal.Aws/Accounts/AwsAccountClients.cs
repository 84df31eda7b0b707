using Portal.Aws.CloudTrail;
using Portal.Aws.CloudWatch;

namespace Portal.Aws.Accounts;

/// <summary>One account with the clients Portal calls it with.</summary>
public sealed record AwsAccountClients(AwsAccount Account, CloudWatchClient CloudWatch, CloudTrailClient CloudTrail);

/// <summary>Every configured account, in configuration order.</summary>
public sealed class AwsAccounts(IReadOnlyList<AwsAccountClients> accounts) : IReadOnlyList<AwsAccountClients>
{
    public int Count => accounts.Count;

    public AwsAccountClients this[int index] => accounts[index];

    public AwsAccountClients? Find(string name) => accounts.FirstOrDefault(a => string.Equals(a.Account.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerator<AwsAccountClients> GetEnumerator() => accounts.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
