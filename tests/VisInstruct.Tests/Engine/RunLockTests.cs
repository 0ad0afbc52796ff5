using System.Text.Json;
using VisInstruct.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

/// <summary>The lease's heartbeat around the moments that used to be missed.</summary>
public class RunLockTests
{
    private static readonly LeaseOptions Manual = new() { Heartbeat = TimeSpan.FromHours(1) };

    [Fact]
    public void ALeaseLostBeforeAnyoneListened_IsToldToTheFirstListener_AtOnce()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        using var lease = RunLock.Acquire(path, Manual);
        TakeOver(path);
        lease.Beat();

        var heard = new List<string>();
        lease.Lost += heard.Add;
        lease.Beat();

        Assert.Equal(["its lease was taken over by process 12 on node-9"], heard);
    }

    [Fact]
    public void ALeaseFileCaughtHalfWritten_IsReadAgainAtTheNextBeat_BeforeTheLeaseCountsAsLost()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        using var lease = RunLock.Acquire(path, Manual);
        var heard = new List<string>();
        lease.Lost += heard.Add;

        File.WriteAllText(path, "");
        lease.Beat();
        Assert.Empty(heard);

        TakeOver(path);
        lease.Beat();
        Assert.Equal(["its lease was taken over by process 12 on node-9"], heard);
    }

    [Fact]
    public void ALeaseFileThatStaysGone_IsLostAtTheSecondBeat()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        using var lease = RunLock.Acquire(path, Manual);
        var heard = new List<string>();
        lease.Lost += heard.Add;

        File.Delete(path);
        lease.Beat();
        Assert.Empty(heard);
        lease.Beat();

        Assert.Equal([$"its lease file {path} was removed"], heard);
    }

    [Fact]
    public void ALeaseFileThatNamesNobody_LeftByARunKilledWhileTakingIt_IsTakenOverAtOnce_SayingSo()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        // What a run killed between creating its lease file and writing it used to leave: fresh, and empty.
        File.WriteAllText(path, "");
        using var lease = RunLock.Acquire(path, Manual);

        Assert.Equal("took over the run's lease from an unknown process: the lease file names no holder (a run was killed while "
            + "it took the lease)", lease.TakenOver);
        Assert.Equal(Environment.ProcessId, LeaseHolder.Read(path).Pid);
    }

    [Fact]
    public void TheLeaseIsPutInPlaceWhole_AndADraftLeftByAKilledRunIsCleared()
    {
        using var dir = new TempDir();
        string path = dir.File("state.db.lock");
        string left = path + ".draft-0123";
        File.WriteAllText(left, "{\"host\": \"node-9\", \"pid\": 12");
        File.SetLastWriteTimeUtc(left, DateTime.UtcNow.AddHours(-1));
        using (var lease = RunLock.Acquire(path, Manual))
        {
            Assert.Null(lease.TakenOver);
            Assert.Equal([path], Directory.GetFiles(dir.Path));
            var holder = LeaseHolder.Read(path);
            Assert.Equal((Environment.MachineName, Environment.ProcessId), (holder.Host, holder.Pid));
            Assert.Throws<RunLockedException>(() => RunLock.Acquire(path, Manual));
            Assert.Equal([path], Directory.GetFiles(dir.Path));
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static void TakeOver(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new { host = "node-9", pid = 12, nonce = "theirs", timeout_seconds = 60 }));
}
