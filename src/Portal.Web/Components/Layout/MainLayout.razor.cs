namespace Portal.Web.Components.Layout;

public partial class MainLayout
{
    private bool _navigationExpanded = true;

    private void ToggleNavigation() => _navigationExpanded = !_navigationExpanded;
}
