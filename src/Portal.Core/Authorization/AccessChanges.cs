namespace Portal.Core.Authorization;

/// <summary>
/// Raised in this process when a role binding is granted or revoked, so open tabs re-check at once instead of at
/// their next periodic re-check (which still covers changes made by other replicas).
/// </summary>
public sealed class AccessChanges
{
    public event Action? Changed;

    public void Notify() => Changed?.Invoke();
}
