// SPDX-License-Identifier: GPL-2.0-only
//
// threegpp-gains: statistics of ns-3's TR 38.901 fast-fading channel
// (ThreeGppChannelModel + ThreeGppSpectrumPropagationLossModel) with
// uniform planar arrays and direct-path beams, the peer of netgym's
// sim/spectrum/threegpp (TestPeerStatistics). For each drop, a UE with its
// own array and its own channel (a new node pair) sits at (d, 0, 1.5) from
// a gNB at (0, 0, 25), UMa, 28 GHz, 66 RBs of 1.44 MHz; both arrays steer
// to each other (5G-LENA's CreateDirectPathBfv); the per-RB gains are the
// received PSD over a unit transmit PSD.
//
// Usage: threegpp-gains <LOS|NLOS> <gnbRows> <gnbCols> <ueRows> <ueCols> <drops> <distance> [run]
// Prints one key=value line: drops, mean_db (dB of the mean gain over
// drops and RBs), db_mean (mean over drops of the dB of each drop's mean
// gain), p10_db/p50_db/p90_db (percentiles of the drops' gains) and
// rb_std_db (mean over drops of the RB-to-RB deviation of the dB gain).

#include "ns3/channel-condition-model.h"
#include "ns3/core-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/spectrum-module.h"
#include "ns3/three-gpp-channel-model.h"
#include "ns3/three-gpp-spectrum-propagation-loss-model.h"
#include "ns3/uniform-planar-array.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace ns3;

// Direct-path weights of array arr at a towards b: exp(-j2π r̂·loc)/sqrt(N),
// as 5G-LENA's CreateDirectPathBfv.
static PhasedArrayModel::ComplexVector
DirectPath(Ptr<UniformPlanarArray> arr, Vector a, Vector b)
{
    Angles ang(b, a);
    double az = ang.GetAzimuth(), incl = ang.GetInclination();
    size_t n = arr->GetNumberOfElements();
    PhasedArrayModel::ComplexVector w(n);
    for (size_t i = 0; i < n; i++)
    {
        Vector l = arr->GetElementLocation(i);
        double ph = -2 * M_PI *
                    (std::sin(incl) * std::cos(az) * l.x + std::sin(incl) * std::sin(az) * l.y +
                     std::cos(incl) * l.z);
        w[i] = std::polar(1.0 / std::sqrt(double(n)), ph);
    }
    return w;
}

int
main(int argc, char* argv[])
{
    if (argc < 8)
    {
        std::fprintf(stderr,
                     "usage: %s <LOS|NLOS> <gnbRows> <gnbCols> <ueRows> <ueCols> <drops> "
                     "<distance> [run]\n",
                     argv[0]);
        return 2;
    }
    std::string cond = argv[1];
    int gR = std::atoi(argv[2]), gC = std::atoi(argv[3]);
    int uR = std::atoi(argv[4]), uC = std::atoi(argv[5]);
    int drops = std::atoi(argv[6]);
    double dist = std::atof(argv[7]);
    if (argc > 8)
    {
        RngSeedManager::SetRun(std::atoi(argv[8]));
    }

    const double fc = 28e9, scs = 120e3;
    const int nRb = 66;
    Bands bands;
    double f = fc - nRb * scs * 12 / 2;
    for (int i = 0; i < nRb; i++)
    {
        BandInfo b;
        b.fl = f;
        f += scs * 6;
        b.fc = f;
        f += scs * 6;
        b.fh = f;
        bands.push_back(b);
    }
    Ptr<SpectrumModel> sm = Create<SpectrumModel>(bands);
    Ptr<SpectrumSignalParameters> params = Create<SpectrumSignalParameters>();
    params->psd = Create<SpectrumValue>(sm);
    *params->psd = 1.0;

    Ptr<ChannelConditionModel> cm;
    if (cond == "LOS")
    {
        cm = CreateObject<AlwaysLosChannelConditionModel>();
    }
    else
    {
        cm = CreateObject<NeverLosChannelConditionModel>();
    }
    Ptr<ThreeGppChannelModel> ch = CreateObject<ThreeGppChannelModel>();
    ch->SetAttribute("Frequency", DoubleValue(fc));
    ch->SetAttribute("Scenario", StringValue("UMa"));
    ch->SetAttribute("ChannelConditionModel", PointerValue(cm));
    Ptr<ThreeGppSpectrumPropagationLossModel> loss =
        CreateObject<ThreeGppSpectrumPropagationLossModel>();
    loss->SetChannelModel(ch);

    Ptr<Node> gnbNode = CreateObject<Node>();
    Ptr<MobilityModel> gnbMob = CreateObject<ConstantPositionMobilityModel>();
    gnbMob->SetPosition(Vector(0, 0, 25));
    gnbNode->AggregateObject(gnbMob);
    Ptr<UniformPlanarArray> gnbArr = CreateObject<UniformPlanarArray>();
    gnbArr->SetAttribute("NumRows", UintegerValue(gR));
    gnbArr->SetAttribute("NumColumns", UintegerValue(gC));

    std::vector<double> drop;
    double sum = 0, sumDb = 0, sumStd = 0;
    Vector uePos(dist, 0, 1.5);
    for (int i = 0; i < drops; i++)
    {
        Ptr<Node> ueNode = CreateObject<Node>();
        Ptr<MobilityModel> ueMob = CreateObject<ConstantPositionMobilityModel>();
        ueMob->SetPosition(uePos);
        ueNode->AggregateObject(ueMob);
        Ptr<UniformPlanarArray> ueArr = CreateObject<UniformPlanarArray>();
        ueArr->SetAttribute("NumRows", UintegerValue(uR));
        ueArr->SetAttribute("NumColumns", UintegerValue(uC));
        gnbArr->SetBeamformingVector(DirectPath(gnbArr, gnbMob->GetPosition(), uePos));
        ueArr->SetBeamformingVector(DirectPath(ueArr, uePos, gnbMob->GetPosition()));
        Ptr<SpectrumValue> rx =
            loss->CalcRxPowerSpectralDensity(params, gnbMob, ueMob, gnbArr, ueArr);
        double m = 0, m2 = 0;
        for (int r = 0; r < nRb; r++)
        {
            double g = (*rx)[r];
            m += g;
            m2 += 10 * std::log10(g) * 10 * std::log10(g);
        }
        m /= nRb;
        double mdb = 0;
        for (int r = 0; r < nRb; r++)
        {
            mdb += 10 * std::log10((*rx)[r]);
        }
        mdb /= nRb;
        sumStd += std::sqrt(std::max(0.0, m2 / nRb - mdb * mdb));
        drop.push_back(10 * std::log10(m));
        sum += m;
        sumDb += 10 * std::log10(m);
    }
    std::sort(drop.begin(), drop.end());
    auto pct = [&](double p) { return drop[size_t(p * (drop.size() - 1))]; };
    std::printf("drops=%d mean_db=%.3f db_mean=%.3f p10_db=%.3f p50_db=%.3f p90_db=%.3f "
                "rb_std_db=%.3f\n",
                drops,
                10 * std::log10(sum / drops),
                sumDb / drops,
                pct(0.1),
                pct(0.5),
                pct(0.9),
                sumStd / drops);
    Simulator::Destroy();
    return 0;
}
