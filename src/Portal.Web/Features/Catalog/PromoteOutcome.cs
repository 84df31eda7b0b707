using Portal.Core.Actions;
using Portal.Core.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>What a promotion from one stage to the next answered.</summary>
public sealed record PromoteOutcome(string From, string To, ActionResult<DeployOutcome> Result);
