using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class TextDiffTests
{
    [Fact]
    public void Lines_OneLineChanged_RemovedThenAddedWithNumbers()
    {
        var lines = TextDiff.Lines("a\nb\nc", "a\nB\nc");

        lines.Select(l => (l.Op, l.Text, l.OldLine, l.NewLine)).ShouldBe(
        [
            (DiffOp.Same, "a", 1, 1),
            (DiffOp.Removed, "b", 2, null),
            (DiffOp.Added, "B", null, 2),
            (DiffOp.Same, "c", 3, 3),
        ]);
    }

    [Fact]
    public void Lines_LongUnchangedRuns_CollapsedBeyondThreeLinesOfContext()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 10", "line ten", StringComparison.Ordinal);

        var lines = TextDiff.Lines(before, after);

        lines.First().ShouldBe(new DiffLine(DiffOp.Skipped, "6 unchanged lines", null, null));
        lines.Count(l => l.Op == DiffOp.Same).ShouldBe(6);
        lines.Last().ShouldBe(new DiffLine(DiffOp.Skipped, "7 unchanged lines", null, null));
        TextDiff.Unified(lines).ShouldContain("-line 10\n+line ten");
    }

    [Fact]
    public void Lines_InsertionInTheMiddle_KeepsTheRestAsUnchanged()
    {
        var lines = TextDiff.Lines("a\nb\nc\nd", "a\nb\nx\nc\nd");

        lines.Where(l => l.Op != DiffOp.Same).ShouldBe([new DiffLine(DiffOp.Added, "x", null, 3)]);
        lines.Single(l => l.Text == "d").ShouldBe(new DiffLine(DiffOp.Same, "d", 4, 5));
    }

    [Fact]
    public void Lines_FromNothing_AllAdded_AndIdenticalTextsHaveNoChanges()
    {
        TextDiff.Lines("", "a\nb").Select(l => l.Op).ShouldBe([DiffOp.Added, DiffOp.Added]);
        TextDiff.HasChanges(TextDiff.Lines("a\r\nb\n", "a\nb")).ShouldBeFalse("line endings and a trailing newline are not changes");
    }
}
