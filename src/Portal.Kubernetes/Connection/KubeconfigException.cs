namespace Portal.Kubernetes.Connection;

/// <summary>A kubeconfig that cannot be used; the message names the file and the problem, in one line.</summary>
public sealed class KubeconfigException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;

    public string Problem { get; } = problem;
}
