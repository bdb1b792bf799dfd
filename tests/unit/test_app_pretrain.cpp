// The page's layer-wise pretraining (Session with Settings::pretrain, web/app/session.hpp):
// the URL keys pretrain / pe, refusals with the core's reason, phases stepped in small
// budgets ending in exactly the model of the one-shot LayerwisePretrainer with the same seed,
// the unrolled model shown during the phases, the status text, then fine-tuning.
// Small synthetic 3-D data (no file I/O). Suite "app".
#include <doctest.h>

#include "controller.hpp"
#include "session.hpp"
#include "test_app_util.hpp"
#include "stats.hpp"

#include "aelab/stacked.hpp"

#include <string>

using namespace aelab;
using namespace aelab::app;
using aelab_test::query_ok;

TEST_SUITE("app") {

TEST_CASE("pretrain URL keys: parsed, written back, refused with the core's reason") {
    Settings s = query_ok("dataset=curved3d&arch=8-4&k=2&act=tanh&pretrain=layerwise&pe=3");
    CHECK(s.pretrain);
    CHECK(s.pretrain_epochs == 3);
    const std::string q = to_query(s);
    CHECK(q.find("pretrain=layerwise") != std::string::npos);
    CHECK(q.find("pe=3") != std::string::npos);
    QueryResult back = parse_query(q);
    CHECK(back.messages.empty());
    CHECK(back.settings == s);
    // No hidden layer: the core's reason, and training end to end.
    QueryResult none = parse_query("dataset=curved3d&arch=none&k=2&pretrain=layerwise");
    REQUIRE(none.messages.size() == 1);
    CHECK(none.messages[0].find("at least two encoder layers") != std::string::npos);
    CHECK_FALSE(none.settings.pretrain);
    // A layer graph has no dense layers to stack.
    QueryResult vae = parse_query("dataset=mnist&model=vae&arch=32&pretrain=layerwise");
    CHECK_FALSE(vae.settings.pretrain);
    CHECK_FALSE(vae.messages.empty());
    for (const char* bad : {"pretrain=yes", "pe=0", "pe=101", "pe=1.5"}) {
        QueryResult r = parse_query(std::string("dataset=curved3d&arch=8&") + bad);
        INFO(bad);
        CHECK(r.messages.size() == 1);
    }
    // pe without pretrain is normalised away (equal models compare equal).
    CHECK(query_ok("dataset=curved3d&arch=8&pe=4").pretrain_epochs == 1);
    // Session::build refuses what cannot be pretrained before changing anything.
    Session se;
    se.set_data(make_synthetic(DatasetKind::Curved3D, 1));
    Settings bad = query_ok("dataset=curved3d&arch=none&k=2");
    bad.pretrain = true;  // set past sanitize(), as a checkbox does
    CHECK_THROWS_WITH_AS(se.build(bad), doctest::Contains("at least two encoder layers"), Error);
    CHECK_FALSE(se.has_model());
}

TEST_CASE("pretrain session: phases in small budgets give the one-shot pretrainer's model, then fine-tuning") {
    Session se;
    se.set_data(make_synthetic(DatasetKind::Curved3D, 1));  // 2000 train / 1000 test, 3-D
    const Settings st = query_ok("dataset=curved3d&arch=8-4&k=2&act=tanh&batch=100&seed=7&pretrain=layerwise&pe=2");
    se.build(st);
    REQUIRE(se.pretrainer() != nullptr);
    CHECK(se.pretraining());
    CHECK(se.pretrainer()->num_phases() == 3);
    CHECK(se.phase_label() == "pretraining phase 1/3: 3-8-3, step 0/40");
    // The one-shot reference: the same target, optimizer and training settings.
    const AEConfig target = st.model_config(3);
    TrainConfig tc;
    tc.batch_size = 100;
    tc.seed = 7;
    tc.eval_every = 4;  // Session::pretrain_config: 40 steps per phase / 10
    tc.eval_max = se.eval_columns();
    LayerwisePretrainer ref(target, st.optimizer_config(), se.data().train.X, &se.data().test.X, tc, 2);
    while (!ref.done() && !ref.diverged()) ref.step({1000000, 0.0});
    REQUIRE(ref.done());
    const Autoencoder<float> full = ref.unroll();
    // The page: 7 steps a call (phase ends inside calls); the views get the phases so far.
    int calls = 0;
    bool saw_phase2 = false;
    while (se.pretraining() && calls < 1000) {
        const StepResult r = se.train(0.0, 7);
        CHECK(r.steps <= 7);
        ++calls;
        if (se.pretraining() && se.pretrainer()->phase() == 1) {
            saw_phase2 = true;
            // Phase 1's layers are in the model already (the first encoder layer).
            const auto& L = se.dense()->layer(0);
            const auto& P = se.pretrainer()->phase_model(0).layer(0);
            CHECK(se.dense()->params().segment(L.w_off, L.in * L.out) == se.pretrainer()->phase_model(0).params().segment(P.w_off, P.in * P.out));
            CHECK(se.phase_label().rfind("pretraining phase 2/3: 8-4-8", 0) == 0);
        }
    }
    CHECK(saw_phase2);
    REQUIRE_FALSE(se.pretraining());
    CHECK(se.pretrain_steps() == 3 * 40);
    CHECK(se.total_steps() == 120);
    CHECK(se.total_epoch() == doctest::Approx(6.0));
    // Bit for bit the one-shot pretrainer's unrolled model.
    CHECK(se.dense()->params() == full.params());
    CHECK(se.phase_label() == "fine-tuning 3-8-4-2-4-8-3 after 3 pretraining phases");
    for (const PretrainPhase& ph : se.pretrainer()->phases()) CHECK(ph.history.size() == 11);  // steps 0, 4, ..., 40
    // Fine-tuning: the ordinary trainer, its history from step 0 (the unrolled model's loss).
    REQUIRE(se.trainer().history().size() == 1);
    CHECK(se.trainer().history()[0].step == 0);
    se.train(0.0, 25);
    CHECK(se.trainer().steps() == 25);
    CHECK(se.total_steps() == 145);
    CHECK(se.dense()->params() != full.params());
}

TEST_CASE("pretrain controller: a checkbox on a model without hidden layers is refused, the model kept") {
    Controller c;
    c.apply_query("?dataset=curved3d&arch=none&k=2&autoplay=0");
    c.sync();
    REQUIRE(c.ready());
    c.settings_mut().pretrain = true;
    c.sync();
    CHECK_FALSE(c.settings().pretrain);  // back to the model that worked
    REQUIRE_FALSE(c.messages().empty());
    CHECK(c.messages().back().error);
    CHECK(c.messages().back().text.find("at least two encoder layers") != std::string::npos);
    CHECK(c.session().pretrainer() == nullptr);
    // With a hidden layer it builds and the first frames pretrain.
    c.apply_query("?dataset=curved3d&arch=8&k=2&pretrain=layerwise");
    c.sync();
    REQUIRE(c.session().pretrainer() != nullptr);
    c.set_playing(true);
    const StepResult r = c.train();
    CHECK(r.steps > 0);
    CHECK(c.session().pretrain_steps() == r.steps);
}

}  // TEST_SUITE
