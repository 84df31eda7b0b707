namespace Portal.Web.Features;

/// <summary>
/// What a feature contributes to the shell: its navigation entry. Features register themselves in
/// <see cref="FeatureRegistration"/>; the navigation is built from what is registered, in <see cref="Order"/>.
/// </summary>
/// <param name="Key">Stable identifier, also the CSS/test hook (<c>nav-{Key}</c>).</param>
/// <param name="Title">Navigation text and page heading.</param>
/// <param name="Icon">Material Symbols name, as Radzen renders it.</param>
/// <param name="Route">The feature's page, relative to the base path (no leading slash).</param>
/// <param name="Summary">One sentence on what the feature lets people do.</param>
public sealed record PortalFeature(string Key, string Title, string Icon, string Route, int Order, string Summary);
