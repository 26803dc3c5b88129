using Orleans.Runtime.Placement;

namespace Seaweed.Grains.Training;

/// <summary>Asks for a grain to be activated on a chosen silo: the hint rides on the call's request context, which is
/// cleared again at once so that no later call carries it.</summary>
public static class PlacementHint
{
    public static async Task<T> On<T>(SiloAddress silo, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(call);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
