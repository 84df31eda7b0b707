namespace Portal.Core.Costs;

/// <summary>The budget thresholds that raise a notice: 80 % and 100 % of the month's budget, actually or by forecast.</summary>
public static class BudgetThresholds
{
    public static readonly int[] Percents = [80, 100];

    /// <summary>
    /// The (percent, basis) pairs the month has crossed, lowest percent first: actual when MonthToDate &gt;= p % of the
    /// budget, forecast when Forecast &gt;= p %. None without a budget.
    /// </summary>
    public static IReadOnlyList<(int Percent, BudgetBasis Basis)> Crossed(MonthCost month)
    {
        ArgumentNullException.ThrowIfNull(month);
        var crossed = new List<(int, BudgetBasis)>();
        if (!month.HasBudget)
        {
            return crossed;
        }

        foreach (var percent in Percents.Order())
        {
            var threshold = month.Budget * percent / 100m;
            if (month.MonthToDate >= threshold)
            {
                crossed.Add((percent, BudgetBasis.Actual));
            }

            if (month.Forecast >= threshold)
            {
                crossed.Add((percent, BudgetBasis.Forecast));
            }
        }

        return crossed;
    }
}
