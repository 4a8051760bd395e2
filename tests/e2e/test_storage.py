"""IndexedDB in the browser: migrations lose nothing, writes are durable and atomic."""

from __future__ import annotations

from .conftest import Launch


def test_opening_a_v1_database_with_the_next_versions_code_loses_nothing(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)

    result = page.evaluate(
        """async () => {
            const store = await import('./static/js/store.js');
            const name = 'migration-test';
            const v1 = await store.openDatabase({ name, migrations: store.MIGRATIONS.slice(0, 1) });
            // Records as the first version wrote them, straight into its stores.
            await new Promise((resolve, reject) => {
                const tx = v1.transaction(['people', 'decisions'], 'readwrite');
                tx.objectStore('people').put({ id: 'p1', name: 'Ashok Mehta', tags: ['mentor'] });
                tx.objectStore('decisions').put({ key: 'reach-out:i1', status: 'done' });
                tx.oncomplete = resolve;
                tx.onabort = () => reject(tx.error);
            });
            v1.close();
            // The next version adds an index on people's names.
            const next = [...store.MIGRATIONS, (db, tx) => tx.objectStore('people').createIndex('by_name', 'name')];
            const v2 = await store.openDatabase({ name, migrations: next });
            const data = await store.loadAll(v2);
            const byName = await new Promise((resolve) => {
                const r = v2.transaction('people').objectStore('people').index('by_name').get('Ashok Mehta');
                r.onsuccess = () => resolve(r.result);
            });
            return { version: v2.version, next: next.length, people: data.people, decisions: data.decisions, byName };
        }"""
    )

    assert result["version"] == result["next"]
    assert result["people"] == [{"id": "p1", "name": "Ashok Mehta", "tags": ["mentor"]}]
    assert result["decisions"] == [{"key": "reach-out:i1", "status": "done"}]
    assert result["byName"]["id"] == "p1"


def test_a_failed_write_writes_nothing(launch: Launch, app_url: str) -> None:
    page = launch().new_page()
    page.goto(app_url)

    result = page.evaluate(
        """async () => {
            const store = await import('./static/js/store.js');
            const db = await store.openDatabase({ name: 'atomic-test' });
            let message = null;
            // Stamps nothing (the engine's stamper is in the worker): the write's own failure
            // is what this test is about.
            const stamp = () => ({ ok: true, stamped: [], clock: '' });
            try {
                // The second record has no key: the whole transaction must abort.
                await store.commit({ put: { people: [{ id: 'ok', name: 'A' }], events: [{ name: 'no id' }] } }, db, { stamp });
            } catch (error) {
                message = String(error);
            }
            const data = await store.loadAll(db);
            return { message, people: data.people.length, events: data.events.length };
        }"""
    )

    assert result["message"] is not None
    assert result["people"] == 0
    assert result["events"] == 0


def test_a_synced_record_written_without_the_engines_stamper_is_refused_and_not_written(
    launch: Launch, app_url: str
) -> None:
    page = launch().new_page()
    page.goto(app_url)

    result = page.evaluate(
        """async () => {
            const store = await import('./static/js/store.js');
            const db = await store.openDatabase({ name: 'unstamped-test' });
            let message = null;
            try {
                await store.commit({ put: { people: [{ id: 'p1', name: 'A' }] } }, db);
            } catch (error) {
                message = String(error);
            }
            // The shell's own records need no stamp.
            await store.commit({ put: { drafts: [{ id: 'd1', text: 'half typed' }] } }, db);
            const data = await store.loadAll(db);
            const outbox = await new Promise((resolve) => {
                const r = db.transaction('sync_outbox').objectStore('sync_outbox').getAll();
                r.onsuccess = () => resolve(r.result);
            });
            const drafts = await new Promise((resolve) => {
                const r = db.transaction('drafts').objectStore('drafts').getAll();
                r.onsuccess = () => resolve(r.result);
            });
            return { message, people: data.people.length, outbox: outbox.length, drafts: drafts.length };
        }"""
    )

    assert "Records are saved by the engine" in result["message"]
    assert result["people"] == 0
    assert result["outbox"] == 0
    assert result["drafts"] == 1
