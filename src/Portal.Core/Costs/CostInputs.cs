namespace Portal.Core.Costs;

/// <summary>
/// What a breakdown is computed from: the store's TotalsAsync over the range for the clusters concerned — every
/// namespace and the nodes, because idle needs them — and the slots of that range (a day or month without a slot is a
/// gap, not zero).
/// </summary>
public sealed record CostInputs(IReadOnlyList<CostRecord> Totals, IReadOnlyList<CostSlot> Slots);
