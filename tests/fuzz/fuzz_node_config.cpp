// The node's config file (`l0-node --config`), read from a file as the node does: a clear
// error or a config, never a crash. No environment: nothing from this machine gets in.
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>

#include <unistd.h>

#include "config/nodeconfig.h"
#include "fuzzsupport.h"

using namespace l0;

namespace {
// One file per process on tmpfs, rewritten for every input, removed at exit.
const QString &configPath()
{
    static const QString path = [] {
        const QString dir = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        std::atexit([] { QFile::remove(configPath()); });
        return QStringLiteral("%1/l0-fuzz-config-%2.json").arg(dir).arg(::getpid());
    }();
    return path;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    {
        QFile f(configPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            fuzz::broken("cannot write the config file");
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    auto config = loadNodeConfig(configPath(), QProcessEnvironment());
    if (!config)
        fuzz::check(!config.error().message.isEmpty(), "a config refused without a message");
    else
        (void)config->effectiveUpstream();
    return 0;
}
