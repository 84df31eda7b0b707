using Portal.Core.Resources;

namespace Portal.Core.Environments;

/// <summary>What an environment may use: CPU and memory requests (Kubernetes quantities) and a pod count.</summary>
public sealed record EnvironmentQuota(string Cpu, string Memory, int Pods)
{
    public static EnvironmentQuota Unset { get; } = new("", "", 0);

    public bool IsSet => Cpu.Length > 0 && Memory.Length > 0 && Pods > 0;

    public long CpuMillis => Quantity.CpuMillis(Cpu);

    public long MemoryBytes => Quantity.Bytes(Memory);

    public override string ToString() => $"{Cpu} CPU, {Memory} memory, {Pods} pods";
}

/// <summary>What an environment uses now, as its ResourceQuota counts it.</summary>
public sealed record ResourceUsage(long CpuMillis, long MemoryBytes, int Pods);

/// <summary>Requested quota; null parts take the current value (or the tier's default on creation).</summary>
public sealed record QuotaRequest
{
    public string? Cpu { get; init; }

    public string? Memory { get; init; }

    public int? Pods { get; init; }
}
